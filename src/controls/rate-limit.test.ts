import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryRateLimiter } from './rate-limit.js';

test('sliding window: limit per window, previous window decays', () => {
  let now = 60_000 * 100;
  const limiter = new MemoryRateLimiter(60_000, () => now);
  for (let i = 0; i < 10; i++) assert.equal(limiter.consumeSync('k', 10, 1).allowed, true);
  const refused = limiter.consumeSync('k', 10, 1);
  assert.equal(refused.allowed, false);
  assert.ok(refused.retryAfterMs > 0 && refused.retryAfterMs <= 120_000);
  // Half-way into the next window, half of the previous 10 still count.
  now += 90_000;
  let allowed = 0;
  while (limiter.consumeSync('k', 10, 1).allowed) allowed++;
  assert.equal(allowed, 5);
  // Two windows later everything has decayed.
  now += 120_000;
  assert.equal(limiter.consumeSync('k', 10, 10).allowed, true);
  // Tokens per minute: cost larger than what is left is refused, forced adds always count.
  assert.equal(limiter.consumeSync('t', 100, 80).allowed, true);
  assert.equal(limiter.consumeSync('t', 100, 30).allowed, false);
  assert.equal(limiter.consumeSync('t', 100, 30, { force: true }).allowed, true);
  assert.equal(limiter.consumeSync('t', 100, 0).allowed, false);
});

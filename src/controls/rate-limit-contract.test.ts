/**
 * The RateLimiter contract, run against both implementations (in-memory and Redis on the
 * local server): tokens per minute reserved up front and settled by a signed difference,
 * tool calls per minute counted after the fact.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryRateLimiter, type RateLimiter } from './rate-limit.js';
import { RedisRateLimiter } from './redis.js';
import { openTestRedis } from './test-redis.js';

const WINDOW = 60_000;

interface Subject {
  limiter: RateLimiter;
  clock: { now: number };
  close(): Promise<void>;
}

const subjects: Record<string, () => Promise<Subject>> = {
  memory: async () => {
    const clock = { now: WINDOW * 1000 };
    return { limiter: new MemoryRateLimiter(WINDOW, () => clock.now), clock, close: async () => undefined };
  },
  redis: async () => {
    const clock = { now: WINDOW * 1000 };
    const { redis, prefix, cleanup } = await openTestRedis();
    return { limiter: new RedisRateLimiter(redis, prefix, WINDOW, () => clock.now), clock, close: cleanup };
  },
};

for (const [name, open] of Object.entries(subjects)) {
  test(`rate limit (${name}): tpm reserved at admission and settled by the difference counts each token once`, async () => {
    const { limiter, close } = await open();
    try {
      // Reserve prompt + max (100 + 300) for a request that then used 100 + 120: settle -180.
      assert.equal((await limiter.consume('k:tpm', 1000, 400)).allowed, true);
      assert.equal((await limiter.consume('k:tpm', 1000, -180, { force: true })).allowed, true);
      // 220 used: 780 fit, 781 do not.
      assert.equal((await limiter.consume('k:tpm', 1000, 781)).allowed, false);
      assert.equal((await limiter.consume('k:tpm', 1000, 780)).allowed, true);
      assert.equal((await limiter.consume('k:tpm', 1000, 1)).allowed, false);
      // Going over the estimate is charged in full, even past the limit.
      assert.equal((await limiter.consume('k:tpm', 1000, 50, { force: true })).allowed, true);
      const refused = await limiter.consume('k:tpm', 1000, 1);
      assert.equal(refused.allowed, false);
      assert.ok(refused.retryAfterMs > 0);
    } finally {
      await close();
    }
  });

  test(`rate limit (${name}): a refund never takes a window below zero`, async () => {
    const { limiter, clock, close } = await open();
    try {
      assert.equal((await limiter.consume('k:tpm', 100, 60)).allowed, true);
      // The window turned between reserve and settle: the refund lands on an empty window.
      clock.now += 2 * WINDOW;
      await limiter.consume('k:tpm', 100, -60, { force: true });
      assert.equal((await limiter.consume('k:tpm', 100, 101)).allowed, false);
      assert.equal((await limiter.consume('k:tpm', 100, 100)).allowed, true);
    } finally {
      await close();
    }
  });

  test(`rate limit (${name}): tool calls per minute: admission checks for room, the calls made are counted after`, async () => {
    const { limiter, clock, close } = await open();
    try {
      for (let i = 0; i < 3; i++) {
        assert.equal((await limiter.consume('k:tool_calls', 5, 0)).allowed, true);
        await limiter.consume('k:tool_calls', 5, 2, { force: true });
      }
      // 6 calls made against a limit of 5: the next request with tools is refused.
      const refused = await limiter.consume('k:tool_calls', 5, 0);
      assert.equal(refused.allowed, false);
      assert.ok(refused.retryAfterMs > WINDOW / 2);
      // Half-way through the next window half of them still count (3 of 5): two more fit.
      clock.now += WINDOW + WINDOW / 2;
      assert.equal((await limiter.consume('k:tool_calls', 5, 0)).allowed, true);
      await limiter.consume('k:tool_calls', 5, 2, { force: true });
      assert.equal((await limiter.consume('k:tool_calls', 5, 0)).allowed, false);
    } finally {
      await close();
    }
  });
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestStore } from '../store/test-support.js';
import { ArbiterError } from '../core/errors.js';
import { KeyService, isMasterKey } from './keys.js';
import { parseTokenBudget, parseUsdBudget } from './specs.js';

function expect401(fn: () => unknown): void {
  assert.throws(fn, (error: unknown) => error instanceof ArbiterError && error.code === 'invalid_api_key' && error.status === 401);
}

test('keys: create, authenticate, revoke, expire, rotate', async () => {
  const { store, cleanup } = await openTestStore('sqlite');
  let now = Date.UTC(2025, 0, 1);
  try {
    const keys = new KeyService(store, { now: () => now });
    assert.equal(keys.hasKeys(), false);
    const { key, record } = await keys.create({ name: 'support-bot', route: 'support', budgets: [parseUsdBudget('50usd/month'), parseTokenBudget('2M/day')], rpm: 60, allowedTools: ['search'], expiresAt: now + 1000 });
    assert.match(key, /^arb_[A-Za-z0-9_-]{32}$/);
    assert.equal(keys.hasKeys(), true);
    const row = await store.db.selectFrom('virtual_keys').selectAll().executeTakeFirstOrThrow();
    assert.notEqual(row.key_hash, key);
    assert.ok(!JSON.stringify(row).includes(key));
    assert.equal(keys.authenticate(`Bearer ${key}`).id, record.id);
    assert.deepEqual(keys.authenticate(`Bearer ${key}`).budgets[1], { kind: 'tokens', limit: 2_000_000, period: 'day' });
    expect401(() => keys.authenticate(undefined));
    expect401(() => keys.authenticate('Bearer arb_nope'));
    expect401(() => keys.authenticate(key));

    // A fresh service (another process) sees the same key after load.
    const other = new KeyService(store, { now: () => now });
    await other.load();
    assert.equal(other.authenticate(`Bearer ${key}`).name, 'support-bot');

    now += 1000;
    expect401(() => keys.authenticate(`Bearer ${key}`));
    now -= 1000;

    const rotated = await keys.rotate(record.id);
    assert.notEqual(rotated.key, key);
    assert.equal(keys.authenticate(`Bearer ${rotated.key}`).route, 'support');
    expect401(() => keys.authenticate(`Bearer ${key}`));

    assert.equal(await keys.revoke(rotated.record.id), true);
    expect401(() => keys.authenticate(`Bearer ${rotated.key}`));
    assert.equal(keys.hasKeys(), false);
  } finally {
    await cleanup();
  }
});

test('keys: master key comparison', () => {
  assert.equal(isMasterKey('secret', 'secret'), true);
  assert.equal(isMasterKey('secret2', 'secret'), false);
  assert.equal(isMasterKey('secret', undefined), false);
  assert.equal(isMasterKey(undefined, 'secret'), false);
});

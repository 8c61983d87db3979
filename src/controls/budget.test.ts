import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { openTestStore, testDialects } from '../store/test-support.js';
import { MemoryBudgetLedger, type BudgetLedger, type BudgetLine } from './budget.js';
import { RedisBudgetLedger } from './redis.js';
import { periodEnd, periodKey, parseUsdBudget } from './specs.js';

const WORST = 2_000_000; // $0.002 in nano-dollars

async function race(ledger: BudgetLedger, scope: string): Promise<void> {
  const limit = WORST * 10;
  const line: BudgetLine = { scope, limit, amount: WORST, ttlMs: 60_000 };
  const results = await Promise.all(Array.from({ length: 500 }, () => ledger.reserve([line])));
  assert.equal(results.filter((result) => result.ok).length, 10);
  const used = await ledger.usage(scope);
  assert.ok(used <= limit + WORST, `used ${used}`);
  assert.equal(used, limit);
  // Settling below the worst case frees room for one more.
  await ledger.settle([{ scope, reserved: WORST, actual: WORST / 2 }]);
  assert.equal((await ledger.reserve([line])).ok, false);
  await ledger.settle([{ scope, reserved: WORST, actual: 0 }]);
  assert.equal((await ledger.reserve([line])).ok, true);
}

test('budget race: 500 concurrent reservations, exactly 10 fit (memory)', async () => {
  await race(new MemoryBudgetLedger(), 'k:usd:month:2025-01');
});

test('budget race: 500 concurrent reservations, exactly 10 fit (redis)', async (t) => {
  const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
  try {
    await redis.connect();
    await redis.ping();
  } catch {
    redis.disconnect();
    t.skip('redis not reachable at 127.0.0.1:6379');
    return;
  }
  const prefix = `arbiter-test:${randomBytes(6).toString('hex')}:`;
  try {
    await race(new RedisBudgetLedger(redis, prefix), 'k:usd:month:2025-01');
  } finally {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  }
});

test('budget: multi-scope reserve is all or nothing', async () => {
  const ledger = new MemoryBudgetLedger();
  const day: BudgetLine = { scope: 'day', limit: 100, amount: 60, ttlMs: 1 };
  const month: BudgetLine = { scope: 'month', limit: 1000, amount: 60, ttlMs: 1 };
  assert.equal((await ledger.reserve([month, day])).ok, true);
  const second = await ledger.reserve([month, day]);
  assert.equal(second.ok, false);
  assert.equal(second.failedIndex, 1);
  assert.equal(await ledger.usage('month'), 60);
});

test('budget periods roll over in UTC with an injected clock', () => {
  const lastSecondOfJan = Date.UTC(2025, 0, 31, 23, 59, 59);
  const firstOfFeb = Date.UTC(2025, 1, 1, 0, 0, 0);
  assert.equal(periodKey('month', lastSecondOfJan), '2025-01');
  assert.equal(periodKey('month', firstOfFeb), '2025-02');
  assert.equal(periodKey('day', lastSecondOfJan), '2025-01-31');
  assert.equal(periodKey('day', firstOfFeb), '2025-02-01');
  // 2025-02-02 is a Sunday, 2025-02-03 a Monday.
  assert.equal(periodKey('week', Date.UTC(2025, 1, 2, 12)), 'w2025-01-27');
  assert.equal(periodKey('week', Date.UTC(2025, 1, 3, 0)), 'w2025-02-03');
  assert.equal(periodEnd('month', lastSecondOfJan), firstOfFeb);
  assert.equal(periodEnd('week', Date.UTC(2025, 1, 2, 12)), Date.UTC(2025, 1, 3));
  // The current period is remembered; a clock that moves back still gets its own period.
  assert.equal(periodKey('day', lastSecondOfJan), '2025-01-31');
  assert.equal(periodKey('day', lastSecondOfJan - 86_400_000), '2025-01-30');
  assert.equal(periodEnd('day', lastSecondOfJan), firstOfFeb);
  assert.deepEqual(parseUsdBudget('50usd/month'), { kind: 'usd', limit: 50_000_000_000, period: 'month' });
});

test('budget: spend survives a restart through SQL', async () => {
  const { store, cleanup } = await openTestStore('sqlite');
  try {
    const ledger = new MemoryBudgetLedger({ store, persistMs: 0 });
    await ledger.reserve([{ scope: 's', limit: 100, amount: 40, ttlMs: 1 }]);
    await ledger.settle([{ scope: 's', reserved: 40, actual: 30 }]);
    await ledger.close();
    const restarted = new MemoryBudgetLedger({ store, persistMs: 0 });
    await restarted.load();
    assert.equal(await restarted.usage('s'), 30);
    await restarted.close();
  } finally {
    await cleanup();
  }
});

async function persistedSpend(store: import('../store/database.js').Store, scope: string): Promise<number> {
  const row = await store.db.selectFrom('control_spend').select('spent').where('scope', '=', scope).executeTakeFirst();
  return Number(row?.spent ?? 0);
}

for (const dialect of await testDialects()) {
  test(`budget: two gateways on one ${dialect} store add to the total, never overwrite it, across a restart mid-period`, async () => {
    const { store, cleanup } = await openTestStore(dialect);
    const scope = 'key:k1:usd:month:2026-12';
    try {
      const a = new MemoryBudgetLedger({ store, persistMs: 0 });
      const b = new MemoryBudgetLedger({ store, persistMs: 0 });
      await a.load();
      await b.load();
      await a.reserve([{ scope, limit: 1000, amount: 40, ttlMs: 1 }]);
      await b.reserve([{ scope, limit: 1000, amount: 60, ttlMs: 1 }]);
      await a.settle([{ scope, reserved: 40, actual: 30 }]);
      await b.settle([{ scope, reserved: 60, actual: 50 }]);
      await a.persist();
      await b.persist();
      assert.equal(await persistedSpend(store, scope), 80);
      // Each persist brings back the shared total: a gateway sees the other's spend within one batch window.
      assert.equal(await b.usage(scope), 80);
      await a.settle([{ scope, reserved: 0, actual: 5 }]);
      await a.persist();
      assert.equal(await a.usage(scope), 85);
      // Gateway A restarts mid-period: it starts from the shared total and keeps adding to it.
      await a.close();
      const restarted = new MemoryBudgetLedger({ store, persistMs: 0 });
      await restarted.load();
      assert.equal(await restarted.usage(scope), 85);
      await restarted.settle([{ scope, reserved: 0, actual: 10 }]);
      await restarted.close();
      await b.close();
      assert.equal(await persistedSpend(store, scope), 95);
    } finally {
      await cleanup();
    }
  });
}

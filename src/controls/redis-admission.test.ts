/**
 * The shared-admission scripts against a real Redis (a private redis-server, so a test can
 * restart it) with a unique key prefix, and the SQL ledger they feed.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { ArbiterError } from '../core/errors.js';
import { openStore, type Store } from '../store/database.js';
import { ledgerEntries } from '../store/budget-ledger.js';
import type { BudgetLine } from './budget.js';
import { LedgerSink } from './ledger-sink.js';
import { RedisAdmission } from './redis-admission.js';
import { createBlockingRedis, createRedis, waitForRedis } from './redis.js';
import { redisServerAvailable, startTestRedis, type TestRedisServer } from './redis-test-support.js';

let server: TestRedisServer | undefined;

before(async () => {
  if (await redisServerAvailable()) server = await startTestRedis();
});
after(async () => { await server?.stop(); });

interface Fixture {
  redis: Redis;
  store: Store;
  admission: RedisAdmission;
  prefix: string;
  close(): Promise<void>;
}

async function fixture(options: { leaseMs?: number } = {}): Promise<Fixture> {
  if (!server) throw new Error('no redis-server');
  const redis = createRedis(server.url);
  redis.on('error', () => undefined);
  await waitForRedis(redis);
  const store = await openStore('sqlite::memory:');
  const prefix = `t:${randomBytes(4).toString('hex')}:`;
  const admission = new RedisAdmission({ redis, store, prefix, leaseMs: options.leaseMs ?? 60_000, rebuildDelayMs: 0 });
  return {
    redis, store, admission, prefix,
    async close() {
      await admission.close();
      redis.disconnect();
      await store.close();
    },
  };
}

const line = (scope: string, limit: number, amount: number): BudgetLine => ({ scope, limit, amount, ttlMs: 3_600_000 });

async function drainSink(f: Fixture): Promise<void> {
  if (!server) return;
  const redis = createBlockingRedis(server.url);
  const sink = new LedgerSink({ redis, store: f.store, prefix: f.prefix });
  while (await sink.drainOnce() > 0) { /* until the stream is empty */ }
  redis.disconnect();
}

test('reserve: a fresh Redis (NOSCRIPT, no counters) is rebuilt from the ledger, then admits', { skip: !await redisServerAvailable() }, async () => {
  const f = await fixture();
  try {
    await f.redis.script('FLUSH');
    assert.equal(await f.redis.exists(`${f.prefix}ready`), 0);
    const result = await f.admission.reserve([line('k:a', 100, 10)], { id: 'r1' });
    assert.equal(result.ok, true);
    assert.deepEqual(result.used, [0]);
    assert.equal(await f.redis.exists(`${f.prefix}ready`), 1);
    assert.equal(await f.admission.usage('k:a'), 10);
  } finally {
    await f.close();
  }
});

test('reserve: budget lines and rate windows are all or nothing', { skip: !await redisServerAvailable() }, async () => {
  const f = await fixture();
  try {
    await f.admission.rebuild();
    const rpm = { key: 'key1:rpm', limit: 2, cost: 1, windowMs: 60_000 };
    assert.equal((await f.admission.reserve([line('day', 100, 60), line('month', 1000, 60)], { id: 'a', rates: [rpm] })).ok, true);
    // The day line refuses: nothing is held on month, and the rpm window is not counted.
    const refused = await f.admission.reserve([line('month', 1000, 60), line('day', 100, 60)], { id: 'b', rates: [rpm] });
    assert.equal(refused.ok, false);
    assert.equal(refused.failedIndex, 1);
    assert.deepEqual(refused.used, [60, 60]);
    assert.equal(await f.admission.usage('month'), 60);
    // One request left in the window; a third is refused by the rate line and holds nothing.
    assert.equal((await f.admission.reserve([line('month', 1000, 10)], { id: 'c', rates: [rpm] })).ok, true);
    const limited = await f.admission.reserve([line('month', 1000, 10)], { id: 'd', rates: [rpm] });
    assert.equal(limited.ok, false);
    assert.equal(limited.rate?.index, 0);
    assert.ok((limited.rate?.retryAfterMs ?? 0) > 0);
    assert.equal(await f.admission.usage('month'), 70);
  } finally {
    await f.close();
  }
});

test('reserve: 500 concurrent reservations, exactly 10 fit', { skip: !await redisServerAvailable() }, async () => {
  const f = await fixture();
  try {
    await f.admission.rebuild();
    const results = await Promise.all(Array.from({ length: 500 }, (_, index) => f.admission.reserve([line('race', 1000, 100)], { id: `r${index}` })));
    assert.equal(results.filter((result) => result.ok).length, 10);
    assert.equal(await f.admission.usage('race'), 1000);
  } finally {
    await f.close();
  }
});

test('settle: by id, a retry never counts twice; the ledger gets one row per reservation', { skip: !await redisServerAvailable() }, async () => {
  const f = await fixture();
  try {
    await f.admission.rebuild();
    await f.admission.reserve([line('s', 1000, 100)], { id: 'x' });
    const settle = [{ scope: 's', reserved: 100, actual: 30, ttlMs: 3_600_000 }];
    await f.admission.settle(settle, { id: 'x' });
    await f.admission.settle(settle, { id: 'x' });
    assert.equal(await f.admission.usage('s'), 30);
    assert.equal(await f.redis.get(`${f.prefix}held:s`), null);
    await drainSink(f);
    const rows = await ledgerEntries(f.store.db);
    assert.deepEqual(rows.map((row) => [row.reservationId, row.scope, row.reserved, row.actual, row.state]), [['x', 's', 100, 30, 'settled']]);
    assert.equal(await f.redis.xlen(`${f.prefix}ledger`), 0, 'acknowledged entries are deleted');
  } finally {
    await f.close();
  }
});

test('leases: an unsettled reservation is charged its reserved amount once expired; a late settle changes nothing', { skip: !await redisServerAvailable() }, async () => {
  const f = await fixture({ leaseMs: 50 });
  try {
    await f.admission.rebuild();
    await f.admission.reserve([line('l', 1000, 100)], { id: 'dead' });
    assert.equal(await f.admission.reap(), 0, 'not before the lease expires');
    await new Promise((resolve) => setTimeout(resolve, 80));
    assert.equal(await f.admission.reap(), 1);
    assert.equal(await f.admission.reap(), 0, 'reaping again finds nothing');
    await f.admission.settle([{ scope: 'l', reserved: 100, actual: 5, ttlMs: 3_600_000 }], { id: 'dead' });
    assert.equal(await f.admission.usage('l'), 100);
    await drainSink(f);
    const rows = await ledgerEntries(f.store.db);
    assert.deepEqual(rows.map((row) => [row.actual, row.state]), [[100, 'reaped']]);
  } finally {
    await f.close();
  }
});

test('ledger: a redelivered batch is harmless', { skip: !await redisServerAvailable() }, async () => {
  const f = await fixture();
  try {
    await f.admission.rebuild();
    await f.admission.reserve([line('d', 1000, 100), line('e', 1000, 100)], { id: 'dup' });
    await f.admission.settle([{ scope: 'd', reserved: 100, actual: 40 }, { scope: 'e', reserved: 100, actual: 40 }], { id: 'dup' });
    const entries = await f.redis.xrange(`${f.prefix}ledger`, '-', '+');
    assert.equal(entries.length, 2);
    await drainSink(f);
    // The same entries once more, as a consumer that died before XACK would leave them.
    for (const [, fields] of entries) await f.redis.xadd(`${f.prefix}ledger`, '*', ...fields);
    await drainSink(f);
    const rows = await ledgerEntries(f.store.db);
    assert.deepEqual(rows.map((row) => [row.scope, row.actual, row.state]).sort(), [['d', 40, 'settled'], ['e', 40, 'settled']]);
  } finally {
    await f.close();
  }
});

test('restart: counters are rebuilt from the ledger with open reservations held, and nothing is admitted before', { skip: !await redisServerAvailable() }, async () => {
  const f = await fixture();
  try {
    await f.admission.rebuild();
    await f.admission.reserve([line('r', 1000, 300)], { id: 'settled' });
    await f.admission.settle([{ scope: 'r', reserved: 300, actual: 200, ttlMs: 3_600_000 }], { id: 'settled' });
    await f.admission.reserve([line('r', 1000, 300)], { id: 'open' });
    await drainSink(f);
    await server?.restart();
    await waitForRedis(f.redis, 5_000);
    assert.equal(await f.redis.exists(`${f.prefix}ready`), 0);
    // A settle while the counters are not rebuilt is kept, not lost.
    await f.admission.settle([{ scope: 'r', reserved: 300, actual: 100, ttlMs: 3_600_000 }], { id: 'open' });
    assert.equal(f.admission.pendingSettles(), 1);
    // 200 settled + 300 still open = 500 used: 600 more do not fit, 500 do.
    assert.equal((await f.admission.reserve([line('r', 1000, 600)], { id: 'big' })).ok, false);
    assert.equal(await f.admission.usage('r'), 500);
    await f.admission.tick();
    assert.equal(f.admission.pendingSettles(), 0);
    assert.equal(await f.admission.usage('r'), 300);
    await drainSink(f);
    const rows = await ledgerEntries(f.store.db);
    assert.deepEqual(rows.map((row) => [row.reservationId, row.actual, row.state]).sort(), [['open', 100, 'settled'], ['settled', 200, 'settled']]);
  } finally {
    await f.close();
  }
});

test('restart: a settle whose reservation never reached the ledger is charged its actual amount', { skip: !await redisServerAvailable() }, async () => {
  const f = await fixture();
  try {
    await f.admission.rebuild();
    await f.admission.reserve([line('o', 1000, 300)], { id: 'lost' });
    await server?.restart();
    await waitForRedis(f.redis, 5_000);
    // Another replica rebuilds and settles: the one that reserved never declared it (it died, or missed the rebuild).
    const other = new RedisAdmission({ redis: f.redis, store: f.store, prefix: f.prefix, leaseMs: 60_000, rebuildDelayMs: 0 });
    await other.rebuild();
    await other.settle([{ scope: 'o', reserved: 300, actual: 120, ttlMs: 3_600_000 }], { id: 'lost' });
    assert.equal(await f.admission.usage('o'), 120);
    await drainSink(f);
    const rows = await ledgerEntries(f.store.db);
    assert.deepEqual(rows.map((row) => [row.reservationId, row.actual, row.state]), [['lost', 120, 'orphan']]);
  } finally {
    await f.close();
  }
});

test('redis down: reserve fails closed with admission_unavailable (503)', { skip: !await redisServerAvailable() }, async () => {
  const f = await fixture();
  try {
    await f.admission.rebuild();
    await server?.stop();
    await assert.rejects(f.admission.reserve([line('z', 1000, 1)], { id: 'q' }), (error: unknown) => error instanceof ArbiterError && error.code === 'admission_unavailable' && error.status === 503);
  } finally {
    await server?.start();
    await f.close();
  }
});

test('restart: a live replica declares its open reservations the ledger has not seen yet, so the rebuild holds them', { skip: !await redisServerAvailable() }, async () => {
  const f = await fixture();
  try {
    await f.admission.rebuild();
    await f.admission.reserve([line('i', 1000, 400)], { id: 'in-flight' });
    // Redis dies before the ledger sink has read the reservation.
    await server?.restart();
    await waitForRedis(f.redis, 5_000);
    await f.admission.tick();
    assert.equal(await f.redis.exists(`${f.prefix}ready`), 1);
    assert.equal(await f.admission.usage('i'), 400);
    assert.equal((await f.admission.reserve([line('i', 1000, 700)], { id: 'too-big' })).ok, false);
    await f.admission.settle([{ scope: 'i', reserved: 400, actual: 250, ttlMs: 3_600_000 }], { id: 'in-flight' });
    assert.equal(await f.admission.usage('i'), 250);
  } finally {
    await f.close();
  }
});

test('ledger reaper: an open ledger row Redis knows nothing of is charged its reservation once, by any replica', { skip: !await redisServerAvailable() }, async () => {
  const f = await fixture({ leaseMs: 10 });
  try {
    await f.admission.rebuild();
    await f.admission.reserve([line('g', 1000, 100)], { id: 'ghost' });
    await drainSink(f);
    // Redis restarts after the rebuild read the ledger: the row stays open, no lease anywhere.
    await f.redis.del(`${f.prefix}lease:ghost`, `${f.prefix}held:g`);
    await f.redis.zrem(`${f.prefix}leases`, 'ghost');
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(await f.admission.reapLedger(0), 1);
    assert.equal(await f.admission.reapLedger(0), 0, 'the settled marker stops a second charge');
    assert.equal(await f.admission.usage('g'), 100);
    await drainSink(f);
    const rows = await ledgerEntries(f.store.db);
    assert.deepEqual(rows.map((row) => [row.actual, row.state]), [[100, 'reaped']]);
  } finally {
    await f.close();
  }
});

test('restart: rate windows are declared by the replicas that counted them, so a restart does not open a fresh window', { skip: !await redisServerAvailable() }, async () => {
  const f = await fixture();
  try {
    await f.admission.rebuild();
    const rpm = { key: 'k:rpm', limit: 3, cost: 1, windowMs: 60_000 };
    for (let index = 0; index < 3; index++) assert.equal((await f.admission.reserve([], { id: `w${index}`, rates: [rpm] })).ok, true);
    await server?.restart();
    await waitForRedis(f.redis, 5_000);
    await f.admission.tick();
    const after = await f.admission.reserve([], { id: 'w3', rates: [rpm] });
    assert.equal(after.ok, false);
    assert.equal(after.rate?.index, 0);
  } finally {
    await f.close();
  }
});

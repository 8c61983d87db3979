import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestStore, testDialects } from '../store/test-support.js';
import { migrateToLatest, sql } from '../store/database.js';
import { dashboardMigration } from '../store/migrations/004-dashboard.js';
import { BatchInsert } from '../store/batch-insert.js';
import { AuditWriter, type AuditRecord } from './audit.js';
import { HOUR_MS, LATENCY_BUCKET_COLUMNS, latencyBucket } from './audit-rollup.js';

const BASE = Date.UTC(2026, 0, 1);

function row(i: number): AuditRecord {
  return {
    request_id: `req_${i}`, created_at: BASE + i * 97_000, key_id: i % 4 === 0 ? null : `key_${i % 3}`, key_name: i % 4 === 0 ? null : `k${i % 3}`,
    route: i % 2 ? 'support' : null, deployment: `d${i % 2}`, model: 'm', reason: 'r', attempts_json: null, retries: i % 5 === 0 ? 1 : 0,
    fallbacks: i % 7 === 0 ? 1 : 0, status: i % 9 === 0 ? 502 : 200, error_code: null, prompt_tokens: 10 + i, completion_tokens: 5,
    cached_tokens: 0, reasoning_tokens: 0, cost_nano: i % 10 === 0 ? null : 1000 + i, latency_ms: (i * 37) % 4000, ttft_ms: i % 3 ? 20 : null,
    cache_hit: i % 11 === 0 ? 1 : 0, streamed: 0, blocked_tools_json: null, prompt_hash: null, prompt_body: null, response_body: null, entrance: 'chat',
  };
}

interface Totals { requests: number; cost: number; prompt: number; latency: number; ttft: number; buckets: number[] }

async function rollupTotals(db: Parameters<typeof migrateToLatest>[0]): Promise<Totals> {
  const rows = await db.selectFrom('audit_rollup_hourly').selectAll().execute();
  return {
    requests: rows.reduce((s, r) => s + Number(r.requests), 0),
    cost: rows.reduce((s, r) => s + Number(r.cost_nano), 0),
    prompt: rows.reduce((s, r) => s + Number(r.prompt_tokens), 0),
    latency: Math.round(rows.reduce((s, r) => s + Number(r.latency_sum_ms), 0)),
    ttft: rows.reduce((s, r) => s + Number(r.ttft_count), 0),
    buckets: LATENCY_BUCKET_COLUMNS.map((column) => rows.reduce((s, r) => s + Number(r[column]), 0)),
  };
}

function expected(rows: AuditRecord[]): Totals {
  const buckets = LATENCY_BUCKET_COLUMNS.map(() => 0);
  for (const r of rows) buckets[latencyBucket(r.latency_ms)]! += 1;
  return {
    requests: rows.length,
    cost: rows.reduce((s, r) => s + (r.cost_nano ?? 0), 0),
    prompt: rows.reduce((s, r) => s + r.prompt_tokens, 0),
    latency: Math.round(rows.reduce((s, r) => s + r.latency_ms, 0)),
    ttft: rows.filter((r) => r.ttft_ms !== null).length,
    buckets,
  };
}

for (const dialect of await testDialects()) {
  test(`rollups (${dialect}): written with the audit rows, batch after batch, they add up to the rows`, async () => {
    const { store, cleanup } = await openTestStore(dialect);
    try {
      const rows = Array.from({ length: 500 }, (_, i) => row(i));
      const writer = new AuditWriter(store, { batchSize: 37 });
      for (const r of rows) writer.record(r);
      await writer.close();
      assert.deepEqual(await rollupTotals(store.db), expected(rows));
      // Hours are bucketed by UTC hour start, one row per (hour, key, route, model, deployment, status).
      const hours = await store.db.selectFrom('audit_rollup_hourly').select('hour').distinct().execute();
      assert.equal(hours.length, new Set(rows.map((r) => r.created_at - (r.created_at % HOUR_MS))).size);
      const keyless = await store.db.selectFrom('audit_rollup_hourly').select((eb) => eb.fn.sum<number>('requests').as('n')).where('key_id', '=', '').executeTakeFirstOrThrow();
      assert.equal(Number(keyless.n), rows.filter((r) => r.key_id === null).length);
    } finally {
      await cleanup();
    }
  });

  test(`rollups (${dialect}): the migration rolls up audit rows that existed before it`, async () => {
    const { store, cleanup } = await openTestStore(dialect);
    try {
      const rows = Array.from({ length: 300 }, (_, i) => row(i));
      // Back to the state before 004: rows in the log, no rollups yet.
      await dashboardMigration.down!(store.db);
      await new BatchInsert('audit_log', Object.keys(rows[0]!) as Array<keyof AuditRecord>).run(store.db, rows.slice(0, 100));
      await new BatchInsert('audit_log', Object.keys(rows[0]!) as Array<keyof AuditRecord>).run(store.db, rows.slice(100, 200));
      await new BatchInsert('audit_log', Object.keys(rows[0]!) as Array<keyof AuditRecord>).run(store.db, rows.slice(200));
      await dashboardMigration.up(store.db);
      assert.deepEqual(await rollupTotals(store.db), expected(rows));
      const check = await sql<{ n: number }>`select count(*) as n from audit_rollup_hourly where status = 502`.execute(store.db);
      assert.ok(Number(check.rows[0]?.n) > 0);
    } finally {
      await cleanup();
    }
  });
}

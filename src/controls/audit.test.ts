import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestStore, testDialects } from '../store/test-support.js';
import { AuditWriter, queryAudit, querySpend, type AuditRecord } from './audit.js';

function row(i: number): AuditRecord {
  return {
    request_id: `req_${i}`, created_at: 1_700_000_000_000 + i, key_id: `key_${i % 3}`, key_name: `k${i % 3}`, route: 'support',
    deployment: 'd', model: i % 2 ? 'gpt-4o' : 'claude', reason: 'r', attempts_json: null, retries: 0, fallbacks: 0, status: 200,
    error_code: null, prompt_tokens: 10, completion_tokens: 5, cached_tokens: 0, reasoning_tokens: 0, cost_nano: i % 10 === 0 ? null : 1000,
    latency_ms: 12.5, ttft_ms: null, cache_hit: 0, streamed: 0, blocked_tools_json: null, prompt_hash: 'h', prompt_body: null, response_body: null,
    entrance: 'chat',
  };
}

for (const dialect of await testDialects()) {
  test(`audit (${dialect}): close() after 1,000 record() calls loses none`, async () => {
    const { store, cleanup } = await openTestStore(dialect);
    try {
      const writer = new AuditWriter(store);
      for (let i = 0; i < 1000; i++) writer.record(row(i));
      await writer.close();
      const count = await store.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 1000);
      assert.equal((await queryAudit(store, { key: 'k1', limit: 5 })).length, 5);
      const spend = await querySpend(store, 'key', 0);
      assert.equal(spend.reduce((sum, r) => sum + r.requests, 0), 1000);
      assert.equal(spend.reduce((sum, r) => sum + r.costNano, 0), 900 * 1000);
      // Every tenth row spent tokens at no known price: unpriced. Refusals spent nothing: not unpriced.
      assert.equal(spend.reduce((sum, r) => sum + r.unpriced, 0), 100);
      const refusals = new AuditWriter(store);
      for (let i = 1000; i < 1005; i++) refusals.record({ ...row(i), status: 429, error_code: 'budget_exceeded', prompt_tokens: 0, completion_tokens: 0, cost_nano: null });
      await refusals.close();
      const after = await querySpend(store, 'key', 0);
      assert.equal(after.reduce((sum, r) => sum + r.requests, 0), 1005);
      assert.equal(after.reduce((sum, r) => sum + r.unpriced, 0), 100);
      const vendors = await querySpend(store, 'vendor', 0, (model) => (model.startsWith('gpt') ? 'openai' : 'anthropic'));
      assert.deepEqual(vendors.map((v) => v.group).sort(), ['anthropic', 'openai']);
    } finally {
      await cleanup();
    }
  });
}

/**
 * The admin API on a real gateway with the simulator upstream, on SQLite and (when the local
 * server answers) Postgres: the master key is required and a virtual key is not enough, bad
 * parameters get 400 in OpenAI's error shape naming the parameter, traffic shows up in the
 * log, its detail, the spend series and the providers view, and keyset pages stay stable
 * while rows are written between them.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { AuditWriter, type AuditRecord } from '../src/controls/audit.js';
import { checkAdminAccess } from '../src/gateway/admin/admin-auth.js';
import type { GatewayContext } from '../src/gateway/context.js';
import { testDialects } from '../src/store/test-support.js';
import { MASTER_KEY, seedEvalRuns, startDashboardGateway, type DashboardGateway } from './support/dashboard-gateway.js';

const auth = { authorization: `Bearer ${MASTER_KEY}` };

async function admin(gateway: DashboardGateway, path: string, init: RequestInit = {}) {
  const res = await fetch(`${gateway.url}/admin/api/${path}`, { ...init, headers: { ...auth, ...(init.body ? { 'content-type': 'application/json' } : {}), ...(init.headers as Record<string, string> | undefined) } });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) as Record<string, unknown> : {} };
}

function auditRow(i: number, createdAt: number): AuditRecord {
  return {
    request_id: `req_seed_${String(i).padStart(5, '0')}`, created_at: createdAt, key_id: null, key_name: null, route: 'seeded', deployment: 'steady-swift', model: 'chat',
    reason: 'seed', attempts_json: null, retries: 0, fallbacks: 0, status: 200, error_code: null, prompt_tokens: 3, completion_tokens: 2, cached_tokens: 0,
    reasoning_tokens: 0, cost_nano: 10, latency_ms: 5, ttft_ms: null, cache_hit: 0, streamed: 0, blocked_tools_json: null, prompt_hash: null, prompt_body: null, response_body: null, entrance: 'chat',
  };
}

test('without a master key the admin API answers loopback callers only (403 otherwise)', () => {
  const ctx = (remoteAddress: string, authorization?: string) => ({ req: { headers: authorization ? { authorization } : {}, socket: { remoteAddress } } } as unknown as GatewayContext);
  assert.doesNotThrow(() => checkAdminAccess(ctx('127.0.0.1'), undefined));
  assert.doesNotThrow(() => checkAdminAccess(ctx('::1'), undefined));
  assert.throws(() => checkAdminAccess(ctx('10.0.0.7'), undefined), (error: { status?: number }) => error.status === 403);
  assert.throws(() => checkAdminAccess(ctx('127.0.0.1'), 'm'), (error: { status?: number }) => error.status === 401, 'a master key is required even from localhost once set');
  assert.doesNotThrow(() => checkAdminAccess(ctx('10.0.0.7', 'Bearer m'), 'm'));
});

for (const dialect of await testDialects()) {
  describe(`admin API (${dialect})`, () => {
    let gateway: DashboardGateway;
    let virtualKey: string;
    let keyId: string;
    before(async () => {
      gateway = await startDashboardGateway({ dialect });
    });
    after(async () => {
      await gateway?.close();
    });

    test('auth: no key and a wrong key get 401 in OpenAI shape; a virtual key is not the master key', async () => {
      const none = await fetch(`${gateway.url}/admin/api/meta`);
      assert.equal(none.status, 401);
      const body = await none.json() as { error: { type: string; code: string; message: string } };
      assert.equal(body.error.code, 'invalid_api_key');
      assert.equal(body.error.type, 'invalid_request_error');
      assert.equal((await admin(gateway, 'meta', { headers: { authorization: 'Bearer nope' } })).status, 401);
      const created = await admin(gateway, 'keys', { method: 'POST', body: JSON.stringify({ name: 'ui-made', budgets: ['2usd/day'], rpm: 100, tpm: 100000 }) });
      assert.equal(created.status, 201);
      virtualKey = created.body.key as string;
      keyId = (created.body.record as { id: string }).id;
      assert.match(virtualKey, /^arb_/);
      assert.equal((await admin(gateway, 'keys', { headers: { authorization: `Bearer ${virtualKey}` } })).status, 401);
      const ok = await admin(gateway, 'meta');
      assert.equal(ok.status, 200);
      assert.equal(ok.headers.get('cache-control'), 'no-store');
      // The key list never carries the secret or its hash.
      const keys = await admin(gateway, 'keys');
      assert.ok(!JSON.stringify(keys.body).includes(virtualKey.slice(8)));
      assert.ok(!JSON.stringify(keys.body).includes('hash'));
    });

    test('bad parameters get 400 naming the parameter', async () => {
      const cases: Array<[string, string, RequestInit?]> = [
        ['logs?limit=0', 'limit'], ['logs?limit=201', 'limit'], ['logs?limit=ten', 'limit'], ['logs?from=yesterday-ish', 'from'],
        [`logs?from=${Date.now() - 40 * 86_400_000}`, 'from'], ['logs?status=7xx', 'status'], ['logs?cursor=not-a-cursor', 'cursor'],
        ['logs?cache=maybe', 'cache'], ['spend?by=planet', 'by'], ['spend?bucket=minute', 'bucket'], [`spend?from=${Date.now() + 1000}`, 'from'],
        ['logs/detail', 'id'], ['evals/report', 'run'], ['evals/compare?a=x', 'b'], ['evals/trend', 'suite'],
        ['keys', 'name', { method: 'POST', body: JSON.stringify({ name: '' }) }],
        ['keys', 'budgets.0', { method: 'POST', body: JSON.stringify({ name: 'x', budgets: ['lots'] }) }],
        ['keys', 'rpm', { method: 'POST', body: JSON.stringify({ name: 'x', rpm: -1 }) }],
        ['keys', 'route', { method: 'POST', body: JSON.stringify({ name: 'x', route: 'nowhere' }) }],
        ['keys/revoke', 'id', { method: 'POST', body: JSON.stringify({}) }],
      ];
      for (const [path, param, init] of cases) {
        const res = await admin(gateway, path, init);
        const error = (res.body as { error?: { param?: string; type?: string } }).error;
        assert.equal(res.status, 400, `${path} → ${res.status} ${JSON.stringify(res.body)}`);
        assert.equal(error?.param, param, path);
        assert.equal(error?.type, 'invalid_request_error');
      }
      assert.equal((await admin(gateway, 'logs/detail?id=req_missing')).status, 404);
      assert.equal((await admin(gateway, 'nothing-here')).status, 404);
      assert.equal((await admin(gateway, 'keys', { method: 'DELETE' })).status, 405);
    });

    test('traffic shows in the log, its detail (fallback waterfall, route exclusions, bodies), spend and providers', async () => {
      const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: virtualKey, maxRetries: 0 });
      const fallback = await client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hello there' }], max_tokens: 16 }).withResponse();
      const fallbackId = fallback.response.headers.get('x-request-id')!;
      const routed = await client.chat.completions.create({ model: 'support', messages: [{ role: 'user', content: 'my card number is 4111 1111 1111 1111' }], max_tokens: 16 }).withResponse();
      const routedId = routed.response.headers.get('x-request-id')!;
      // The audit writer commits every 200 ms: wait for both rows.
      let ids: string[] = [];
      for (let wait = 0; wait < 100 && !(ids.includes(fallbackId) && ids.includes(routedId)); wait++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        ids = ((await admin(gateway, 'logs?key=ui-made')).body.rows as Array<{ request_id: string }>).map((row) => row.request_id);
      }
      assert.ok(ids.includes(fallbackId) && ids.includes(routedId), JSON.stringify(ids));
      const detail = await admin(gateway, `logs/detail?id=${fallbackId}`);
      const attempts = detail.body.attempts as Array<{ deployment: string; ok: boolean; startMs: number; latencyMs: number }>;
      assert.deepEqual(attempts.map((a) => [a.deployment, a.ok]), [['flaky-swift', false], ['flaky-swift', false], ['steady-swift', true]]);
      assert.ok(attempts[2]!.startMs >= attempts[1]!.startMs + attempts[1]!.latencyMs, 'attempts are laid out in time');
      assert.equal(detail.body.fallbacks, 1);
      const routedDetail = await admin(gateway, `logs/detail?id=${routedId}`);
      const excluded = routedDetail.body.excluded as Array<{ modelId: string; reasons: string[] }>;
      assert.match(excluded.find((e) => e.modelId === 'sim-coder-open')?.reasons.join(' ') ?? '', /CN/, JSON.stringify(excluded));
      assert.ok(!JSON.stringify(routedDetail.body.prompt_body).includes('4111 1111 1111 1111'), 'stored bodies are redacted');
      assert.ok(routedDetail.body.response_body !== null);
      const spend = await admin(gateway, `spend?by=key&key=${keyId}`);
      const groups = spend.body.groups as Array<{ name: string; totalRequests: number; totalCostNano: number }>;
      assert.equal(groups[0]?.name, 'ui-made');
      assert.equal(groups[0]?.totalRequests, 2);
      assert.ok(groups[0]!.totalCostNano > 0);
      const vendor = await admin(gateway, 'spend?by=jurisdiction');
      assert.deepEqual((vendor.body.groups as Array<{ name: string }>).map((g) => g.name), ['US']);
      const providers = await admin(gateway, 'providers');
      const steady = (providers.body.deployments as Array<{ name: string; requests: number; p50Ms: number | null; breaker: string; identification: unknown }>).find((d) => d.name === 'steady-swift');
      assert.equal(steady?.requests, 1);
      assert.ok(steady?.p50Ms !== null);
      assert.equal(steady?.identification, null);
      const flaky = (providers.body.deployments as Array<{ name: string; recentErrorRate: number | null }>).find((d) => d.name === 'flaky-swift');
      assert.equal(flaky?.recentErrorRate, 1, 'the router saw the flaky deployment fail');
      const keys = await admin(gateway, 'keys');
      const mine = (keys.body.keys as Array<{ id: string; lastMinute: { requests: number } | null; budgets: Array<{ used: number | null }> }>).find((k) => k.id === keyId);
      assert.equal(mine?.lastMinute?.requests, 2);
      assert.ok((mine?.budgets[0]?.used ?? 0) > 0, 'budget use comes from the ledger');
      const budgets = await admin(gateway, 'budgets');
      assert.ok((budgets.body.budgets as Array<{ label: string; burn: unknown[] }>).some((b) => b.label === "route 'support'" && b.burn.length === 1));
    });

    test('keys: revoke and rotate through the KeyService; a revoked key is refused at once', async () => {
      const rotated = await admin(gateway, 'keys/rotate', { method: 'POST', body: JSON.stringify({ id: keyId }) });
      assert.equal(rotated.status, 201);
      const fresh = rotated.body.key as string;
      assert.notEqual(fresh, virtualKey);
      const call = (key: string) => fetch(`${gateway.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
      assert.equal((await call(virtualKey)).status, 401);
      assert.equal((await call(fresh)).status, 200);
      const newId = (rotated.body.record as { id: string }).id;
      assert.equal((await admin(gateway, 'keys/revoke', { method: 'POST', body: JSON.stringify({ id: newId }) })).status, 200);
      assert.equal((await call(fresh)).status, 401);
      assert.equal((await admin(gateway, 'keys/revoke', { method: 'POST', body: JSON.stringify({ id: newId }) })).status, 409);
    });

    test('evals: runs, a report with its Pareto front, a compare with McNemar and changed items, a trend', async () => {
      const { first, second } = await seedEvalRuns(gateway.store);
      const runs = await admin(gateway, 'evals/runs');
      assert.deepEqual((runs.body.runs as Array<{ id: string }>).slice(0, 2).map((r) => r.id), [second, first]);
      const report = await admin(gateway, `evals/report?run=${second}`);
      assert.deepEqual([...(report.body.pareto as Record<string, string[]>).humaneval!].sort(), ['sim-frontier', 'sim-swift']);
      const compare = await admin(gateway, `evals/compare?a=${first}&b=${second}`);
      assert.equal(compare.body.totalChanged, 8);
      const swift = (compare.body.models as Array<{ model: string; improvement: boolean; test: { c: number } }>).find((m) => m.model === 'sim-swift');
      assert.equal(swift?.test.c, 8);
      assert.equal(swift?.improvement, true);
      const trend = await admin(gateway, 'evals/trend?suite=humaneval&model=sim-swift');
      const points = (trend.body.models as Array<{ model: string; points: Array<{ passRate: number }> }>)[0]!.points.map((p) => p.passRate);
      assert.deepEqual(points, [0.4, 0.8]);
    });

    test('keyset pages stay stable while rows are written between them', async () => {
      const base = Date.now() - 3_600_000;
      const writer = new AuditWriter(gateway.store, { batchSize: 50 });
      // Many rows share a timestamp: the request id breaks the tie.
      for (let i = 0; i < 300; i++) writer.record(auditRow(i, base + Math.floor(i / 7)));
      await writer.flush();
      const seen: string[] = [];
      let cursor: string | null = null;
      let extra = 300;
      do {
        const query: string = `logs?route=seeded&limit=23&from=${base - 1}${cursor ? `&cursor=${cursor}` : ''}`;
        const page = await admin(gateway, query);
        assert.equal(page.status, 200);
        seen.push(...(page.body.rows as Array<{ request_id: string }>).map((row) => row.request_id));
        cursor = page.body.next as string | null;
        // Rows land meanwhile: newer ones, and ones at the very timestamps being paged.
        for (let j = 0; j < 5; j++, extra++) writer.record(auditRow(extra, j % 2 ? Date.now() : base + Math.floor(Math.random() * 43)));
        await writer.flush();
      } while (cursor);
      const original = Array.from({ length: 300 }, (_, i) => `req_seed_${String(i).padStart(5, '0')}`);
      assert.equal(new Set(seen).size, seen.length, 'no row twice');
      for (const id of original) assert.ok(seen.includes(id), `${id} was skipped`);
      await writer.close();
    });
  });
}

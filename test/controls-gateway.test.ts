/**
 * Controls through the real gateway on a port, the simulator upstream: 401s in OpenAI's
 * format, the master key, rate limits with Retry-After, a key budget under 500 concurrent
 * requests, a route budget under 100 without a virtual key, and the metrics that count it all.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../src/config/load.js';
import type { ChatRequest } from '../src/core/chat-request.js';
import { KeyService } from '../src/controls/keys.js';
import { startArbiter, type RunningArbiter } from '../src/gateway/start.js';
import { createRuntime } from '../src/runtime/create-runtime.js';
import { startSimulator } from '../src/sim/server.js';
import { openStore } from '../src/store/database.js';

const MASTER = 'master-secret-for-tests';
let sim: Awaited<ReturnType<typeof startSimulator>>;
let arbiter: RunningArbiter;
let dir: string;
let dbUrl: string;
const secrets: Record<string, string> = {};
let budgetNano = 0;
let embedWorstNano = 0;
const embedding = { model: 'sim-frontier', input: ['the lighthouse keeper counts ships', 'a second line to embed'] };
const request: ChatRequest = { model: 'sim-frontier', messages: [{ role: 'user', content: 'Say something short.' }], max_tokens: 64 };

before(async () => {
  sim = await startSimulator({ port: 0, latencyScale: 0, seed: 11 });
  dir = mkdtempSync(join(tmpdir(), 'arbiter-controls-'));
  dbUrl = `sqlite:${join(dir, 'arbiter.db')}`;
  const base = {
    server: { port: 0, logLevel: 'silent' },
    storage: { url: dbUrl },
    deployments: [
      { name: 'sim-frontier', provider: 'openai', upstreamModel: 'sim-frontier', baseUrl: `${sim.url}/v1`, apiKey: 'sk-test', catalogModel: 'sim-frontier', simulated: true },
      // One embedding model hosted twice: where a route-bound key's data may go decides which serves it.
      ...['us-east', 'eu-west'].map((region) => ({ name: `embedder-${region}`, model: 'embedder', region, provider: 'openai', upstreamModel: 'sim-swift', baseUrl: `${sim.url}/v1`, apiKey: 'sk-test', catalogModel: 'sim-swift', simulated: true })),
    ],
  };
  const probeConfig = parseConfig(base, {});

  // The worst case the gateway will reserve per request, from the same runtime code.
  const probe = await createRuntime({ config: probeConfig, env: {} });
  const deployment = probe.deployments[0]!;
  const prompt = probe.estimatePromptTokens(request, deployment);
  const worst = probe.costOf(deployment, { prompt_tokens: prompt, completion_tokens: 64, total_tokens: prompt + 64 });
  const embedTokens = probe.estimateEmbeddingTokens(embedding, deployment);
  embedWorstNano = probe.costOf(deployment, { prompt_tokens: embedTokens, completion_tokens: 0, total_tokens: embedTokens }) ?? 0;
  await probe.close();
  assert.ok(worst !== null && worst > 0);
  budgetNano = worst * 10;
  // The route's only candidate is the same deployment, so its worst case is the same.
  const config = parseConfig({ ...base, routes: {
    feature: { candidates: ['sim-frontier'], budgets: [`${(budgetNano / 1e9).toFixed(9)}usd/day`] },
    'eu-data': { compliance: { allowRegions: ['eu-west'] } },
    'local-data': { compliance: { localOnly: true } },
  } }, {});

  // Keys exist before the gateway starts (it loads them at start).
  const store = await openStore(dbUrl);
  const keys = new KeyService(store);
  const make = async (label: string, input: Parameters<KeyService['create']>[0]) => { secrets[label] = (await keys.create(input)).key; };
  await make('plain', { name: 'plain' });
  await make('revoked', { name: 'revoked' });
  await keys.revoke((await keys.list()).find((k) => k.name === 'revoked')!.id);
  await make('expired', { name: 'expired', expiresAt: Date.now() - 1000 });
  await make('limited', { name: 'limited', rpm: 2 });
  await make('budget', { name: 'race', budgets: [{ kind: 'usd', limit: budgetNano, period: 'day' }] });
  await make('embedBudget', { name: 'embed-budget', budgets: [{ kind: 'usd', limit: embedWorstNano * 3, period: 'day' }] });
  await make('embedLimited', { name: 'embed-limited', rpm: 1 });
  await make('euBound', { name: 'eu-bound', route: 'eu-data' });
  await make('localBound', { name: 'local-bound', route: 'local-data' });
  await store.close();

  arbiter = await startArbiter({ config, env: { ARBITER_MASTER_KEY: MASTER }, quiet: true });
});

after(async () => {
  await arbiter?.close();
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

function chat(key: string | undefined, body: ChatRequest = request) {
  return fetch(`${arbiter.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(body),
  });
}

interface ErrorBody { error: { message: string; type: string; param: string | null; code: string } }

describe('keys made while the gateway runs, and refusals at the door', () => {
  test('a key created by another process works on its first request', async () => {
    const store = await openStore(dbUrl);
    try {
      const late = (await new KeyService(store).create({ name: 'late' })).key;
      // The gateway reloads its key index on a miss at most every 250 ms; it loaded at start.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const res = await chat(late);
      assert.equal(res.status, 200, await res.clone().text());
    } finally {
      await store.close();
    }
  });

  test('a request refused with 401 leaves an audit row', async () => {
    const res = await chat('arb_never-issued-0000000000000000000');
    assert.equal(res.status, 401);
    const requestId = res.headers.get('x-request-id');
    assert.ok(requestId);
    const store = await openStore(dbUrl);
    try {
      // The audit writer batches every 200 ms.
      let row;
      for (let attempt = 0; attempt < 40 && !row; attempt++) {
        row = await store.db.selectFrom('audit_log').selectAll().where('request_id', '=', requestId).executeTakeFirst();
        if (!row) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.ok(row, 'no audit row for the refused request');
      assert.equal(row.status, 401);
      assert.equal(row.error_code, 'invalid_api_key');
      assert.equal(row.key_id, null);
    } finally {
      await store.close();
    }
  });
});

describe('keys at the gateway', () => {
  test('missing, unknown, revoked and expired keys get 401 in OpenAI format', async () => {
    const cases: Array<[string | undefined, RegExp]> = [
      [undefined, /Missing API key/], ['arb_not-a-real-key-000000000000000', /Invalid API key/],
      [secrets.revoked, /revoked/], [secrets.expired, /expired/],
    ];
    for (const [key, message] of cases) {
      const res = await chat(key);
      assert.equal(res.status, 401);
      const body = await res.json() as ErrorBody;
      assert.equal(body.error.code, 'invalid_api_key');
      assert.equal(body.error.type, 'invalid_request_error');
      assert.match(body.error.message, message);
    }
  });

  test('a valid key and the master key are served', async () => {
    for (const key of [secrets.plain, MASTER]) {
      const res = await chat(key);
      assert.equal(res.status, 200, await res.clone().text());
      await res.json();
    }
  });

  test('requests per minute: the third in a minute is 429 with Retry-After', async () => {
    assert.equal((await chat(secrets.limited)).status, 200);
    assert.equal((await chat(secrets.limited)).status, 200);
    const refused = await chat(secrets.limited);
    assert.equal(refused.status, 429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    // The sliding-window estimate spreads the previous minute's requests evenly, so the wait it
    // asks for can pass 60 s, never two windows.
    assert.ok(retryAfter >= 1 && retryAfter <= 120, `retry-after ${retryAfter}`);
    assert.equal(retryAfter, Math.ceil(Number(refused.headers.get('retry-after-ms')) / 1000));
    assert.match(((await refused.json()) as ErrorBody).error.message, /key 'limited' rate limit 2 requests\/minute/);
  });
});

describe('route budget at the gateway', () => {
  test('100 concurrent requests on a route budgeted at 10 worst cases, with the master key: never overspent', async () => {
    const responses = await Promise.all(Array.from({ length: 100 }, () => chat(MASTER, { ...request, model: 'feature' })));
    const results = await Promise.all(responses.map(async (res) => ({ status: res.status, cost: Number(res.headers.get('x-arbiter-cost-usd') ?? 0), body: await res.text() })));
    const served = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status === 429);
    assert.ok(served.length >= 10, `served ${served.length}`);
    assert.equal(served.length + refused.length, 100, `other statuses: ${JSON.stringify([...new Set(results.map((r) => r.status))])}`);
    assert.ok(refused.length > 0, 'the budget ran out');
    for (const r of refused) {
      const body = JSON.parse(r.body) as ErrorBody;
      assert.equal(body.error.code, 'budget_exceeded');
      assert.match(body.error.message, /^route 'feature' budget \$[\d.]+\/day exhausted: spent \$/);
    }
    assert.ok(served.every((r) => r.cost > 0), 'every answer carries its cost');
    const spent = served.reduce((sum, r) => sum + Math.round(r.cost * 1e9), 0);
    assert.ok(spent <= budgetNano, `spent ${spent} of ${budgetNano}`);
    const metrics = await (await fetch(`${arbiter.url}/metrics`, { headers: { authorization: `Bearer ${MASTER}` } })).text();
    assert.equal(Number(/arbiter_budget_rejections_total\{scope="route"\} (\d+)/.exec(metrics)?.[1]), refused.length);
  });
});

function embed(key: string, body: object = embedding) {
  return fetch(`${arbiter.url}/v1/embeddings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
}

async function auditRows(keyName: string, expected: number) {
  const store = await openStore(dbUrl);
  try {
    // The audit writer batches every 200 ms.
    for (let attempt = 0; attempt < 40; attempt++) {
      const rows = await store.db.selectFrom('audit_log').selectAll().where('key_name', '=', keyName).execute();
      if (rows.length >= expected) return rows;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return await store.db.selectFrom('audit_log').selectAll().where('key_name', '=', keyName).execute();
  } finally {
    await store.close();
  }
}

describe('embeddings under the controls', () => {
  test("a key's dollar budget covers embeddings: refused with 429 once spent, never overspent, every call audited", async () => {
    assert.ok(embedWorstNano > 0);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await embed(secrets.embedBudget!);
      statuses.push(res.status);
      const body = await res.json() as ErrorBody & { usage?: { prompt_tokens: number } };
      if (res.status === 429) assert.match(body.error.message, /key 'embed-budget' budget .*\/day exhausted/);
      else assert.equal(res.status, 200);
    }
    const served = statuses.filter((status) => status === 200).length;
    assert.ok(served >= 3 && served < 8, `statuses ${statuses.join(',')}`);
    const rows = await auditRows('embed-budget', 8);
    assert.equal(rows.length, 8);
    const spent = rows.reduce((sum, row) => sum + Number(row.cost_nano ?? 0), 0);
    assert.ok(spent <= embedWorstNano * 3 + embedWorstNano, `spent ${spent} of ${embedWorstNano * 3}`);
    const ok = rows.filter((row) => row.status === 200);
    assert.equal(ok.length, served);
    for (const row of ok) {
      assert.equal(row.deployment, 'sim-frontier');
      assert.ok(row.prompt_tokens > 0 && Number(row.cost_nano) > 0);
      assert.match(row.prompt_hash ?? '', /^[0-9a-f]{64}$/);
      assert.match(row.reason, /embeddings on sim-frontier/);
    }
  });

  test('requests per minute apply to embeddings: the second in a minute is 429 with Retry-After', async () => {
    assert.equal((await embed(secrets.embedLimited!)).status, 200);
    const limited = await embed(secrets.embedLimited!);
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    const body = await limited.json() as ErrorBody;
    assert.equal(body.error.code, 'rate_limit_exceeded');
  });
});

describe("a route-bound key's compliance and refusals before routing", () => {
  test("embeddings by a key bound to a route go only where the route's compliance lets data go", async () => {
    const eu = await embed(secrets.euBound!, { model: 'embedder', input: 'harbour records' });
    assert.equal(eu.status, 200, await eu.clone().text());
    // The first mirror (us-east) is hosted outside the route's regions: the EU mirror serves it.
    assert.equal(eu.headers.get('x-arbiter-deployment'), 'embedder-eu-west');
    const unbound = await embed(secrets.plain!, { model: 'embedder', input: 'harbour records' });
    assert.equal(unbound.headers.get('x-arbiter-deployment'), 'embedder-us-east');
    const local = await embed(secrets.localBound!, { model: 'embedder', input: 'harbour records' });
    assert.equal(local.status, 403);
    const body = await local.json() as ErrorBody;
    assert.equal(body.error.param, 'model');
    assert.match(body.error.message, /route 'local-data'.*embedder-us-east: no local mirror/);
    const [row] = await auditRows('eu-bound', 1);
    assert.match(row?.reason ?? '', /embeddings on embedder-eu-west: .* that the key's route 'eu-data' admits/);
  });

  test('requests refused before routing are audited: a body that does not validate, an unknown model, a refused route', async () => {
    const invalid = await chat(secrets.plain, { model: 'sim-frontier', messages: [] } as unknown as ChatRequest);
    const unknown = await chat(secrets.plain, { ...request, model: 'no-such-model' });
    const refusedEmbedding = await embed(secrets.localBound!, { model: 'embedder', input: 'x' });
    assert.deepEqual([invalid.status, unknown.status, refusedEmbedding.status], [400, 404, 403]);
    const rows = [...await auditRows('plain', 0), ...await auditRows('local-bound', 0)];
    const byId = (res: Response) => rows.find((row) => row.request_id === res.headers.get('x-request-id'));
    for (let attempt = 0; attempt < 40 && !(byId(invalid) && byId(unknown) && byId(refusedEmbedding)); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      rows.splice(0, rows.length, ...await auditRows('plain', 0), ...await auditRows('local-bound', 0));
    }
    assert.deepEqual([byId(invalid)?.status, byId(invalid)?.error_code, byId(invalid)?.model], [400, 'invalid_request', null]);
    assert.deepEqual([byId(unknown)?.status, byId(unknown)?.error_code, byId(unknown)?.model], [404, 'model_not_found', 'no-such-model']);
    assert.deepEqual([byId(refusedEmbedding)?.status, byId(refusedEmbedding)?.error_code, byId(refusedEmbedding)?.model], [403, 'permission_denied', 'embedder']);
    assert.match(byId(unknown)?.reason ?? '', /refused before routing/);
  });
});

describe('budget race at the gateway', () => {
  test('500 concurrent requests against a budget of 10 worst cases never overspend', async () => {
    const rejectionsSoFar = Number(/arbiter_budget_rejections_total\{scope="key"\} (\d+)/.exec(await (await fetch(`${arbiter.url}/metrics`, { headers: { authorization: `Bearer ${MASTER}` } })).text())?.[1] ?? 0);
    const responses = await Promise.all(Array.from({ length: 500 }, () => chat(secrets.budget)));
    const bodies = await Promise.all(responses.map(async (res) => ({ status: res.status, body: await res.text() })));
    const served = bodies.filter((r) => r.status === 200).length;
    const refused = bodies.filter((r) => r.status === 429);
    // At least the 10 that fit at the worst case; more only as settled requests hand back the unused part.
    assert.ok(served >= 10, `served ${served}`);
    assert.equal(served + refused.length, 500, `other statuses: ${JSON.stringify([...new Set(bodies.map((r) => r.status))])}`);
    for (const r of refused) assert.match(r.body, /key 'race' budget .*\/day exhausted/);

    // The recorded spend (audit, after a drain) stays within the budget.
    const metrics = await (await fetch(`${arbiter.url}/metrics`, { headers: { authorization: `Bearer ${MASTER}` } })).text();
    await arbiter.close();
    const store = await openStore(dbUrl);
    try {
      const rows = await store.db.selectFrom('audit_log').selectAll().where('key_name', '=', 'race').execute();
      assert.equal(rows.length, 500, 'every request audited, refusals included');
      const spent = rows.reduce((sum, row) => sum + Number(row.cost_nano ?? 0), 0);
      assert.ok(spent <= budgetNano, `spent ${spent} of ${budgetNano}`);
      assert.equal(rows.filter((row) => row.status === 200).length, served);
    } finally {
      await store.close();
    }
    const rejections = /arbiter_budget_rejections_total\{scope="key"\} (\d+)/.exec(metrics);
    assert.equal(Number(rejections?.[1]) - rejectionsSoFar, refused.length);
    assert.match(metrics, /arbiter_requests_total\{route="",deployment="sim-frontier",status="200",cache="miss"\} \d+/);
    assert.match(metrics, /arbiter_requests_total\{[^}]*status="429"[^}]*\} \d+/);
  });
});

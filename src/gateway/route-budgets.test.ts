/**
 * Route budgets through the controls adapter: a feature's budget applies with or without a
 * key, beside the key's own, in the same reserve→settle path (memory and Redis ledgers).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Redis } from 'ioredis';
import { parseConfig } from '../config/load.js';
import type { ChatRequest } from '../core/chat-request.js';
import type { ChatResponse } from '../core/chat-response.js';
import type { Deployment } from '../core/provider.js';
import { ArbiterError } from '../core/errors.js';
import { openTestStore } from '../store/test-support.js';
import type { ResolvedTarget } from '../runtime/types.js';
import type { GatewayContext } from './context.js';
import { createControls, type Controls } from './controls-adapter.js';

const deployment = { name: 'd', model: 'm', provider: 'openai', upstreamModel: 'm', baseUrl: 'http://x' } as Deployment;
const request: ChatRequest = { model: 'support-bot', messages: [{ role: 'user', content: 'hi' }], max_tokens: 900, temperature: 0 };
const response: ChatResponse = { id: 'r', object: 'chat.completion', created: 0, model: 'm', choices: [{ index: 0, finish_reason: 'stop', logprobs: null, message: { role: 'assistant', content: 'hello' } }] };
// 100 prompt + 900 output tokens at 1,000 nano-dollars ($1/M) each: $0.001 per worst case.
const WORST = 1_000_000;
const runtime = { estimatePromptTokens: () => 100, estimateEmbeddingTokens: () => 100, costOf: (_d: Deployment, u: { prompt_tokens: number; completion_tokens: number }) => 1000 * (u.prompt_tokens + u.completion_tokens) };

function context(keyId?: string, headers: Record<string, string> = {}): GatewayContext {
  return {
    req: { headers, socket: { remoteAddress: '127.0.0.1' } } as unknown as IncomingMessage,
    res: {} as ServerResponse,
    requestId: `req_${randomBytes(6).toString('hex')}`, method: 'POST', path: '/v1/chat/completions', query: new URLSearchParams(),
    startedAt: Date.now(), responseHeaders: {}, signal: new AbortController().signal, vars: keyId ? { keyId } : {},
  };
}

function routeTarget(config: ReturnType<typeof parseConfig>, name: string): ResolvedTarget {
  return { requested: name, routeName: name, route: config.routes[name], chain: [deployment], reason: `route ${name}` };
}

function served(costNano: number) {
  return { status: 200, attempts: [], retries: 0, fallbacks: 0, streamed: false, response, costNano, deployment };
}

function refusedBy(pattern: RegExp) {
  return (error: unknown) => error instanceof ArbiterError && error.code === 'budget_exceeded' && error.status === 429 && pattern.test(error.message);
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

test('route budget: spent is refused without any key, naming the route; warns at 80%; refusals audited and counted', async () => {
  const { store, cleanup } = await openTestStore('sqlite');
  // $0.01/month: ten worst cases.
  const config = parseConfig({ routes: { 'support-bot': { budgets: ['0.01usd/month'] }, other: {} } }, {});
  const controls = await createControls({ store, config, env: {}, runtime });
  try {
    const target = routeTarget(config, 'support-bot');
    for (let i = 0; i < 9; i++) (await controls.chatControls.admit(context(), request, target)).finish(served(WORST));
    await settled();
    const tenth = context();
    const last = await controls.chatControls.admit(tenth, request, target);
    assert.match(tenth.responseHeaders['x-arbiter-budget-warning'] ?? '', /route 'support-bot' has used 100% of \$0\.01\/month/);
    last.finish(served(WORST));
    await settled();
    await assert.rejects(controls.chatControls.admit(context(), request, target),
      refusedBy(/^route 'support-bot' budget \$0\.01\/month exhausted: spent \$0\.01, this request may cost up to \$0\.00100$/));
    // Another route (no budget) and a direct model call are not charged to it.
    (await controls.chatControls.admit(context(), request, routeTarget(config, 'other'))).finish(served(WORST));
    (await controls.chatControls.admit(context(), request, { requested: 'm', chain: [deployment], reason: 'direct' })).finish(served(WORST));
    const metrics = (await controls.renderMetrics()).body;
    assert.match(metrics, /arbiter_budget_rejections_total\{scope="route"\} 1\b/);
    assert.doesNotMatch(metrics, /arbiter_budget_rejections_total\{scope="key"\}/);
    await controls.close();
    const rows = await store.db.selectFrom('audit_log').selectAll().execute();
    assert.equal(rows.length, 13);
    assert.deepEqual(rows.filter((r) => r.status === 429).map((r) => [r.route, r.error_code, r.key_id]), [['support-bot', 'budget_exceeded', null]]);
  } finally {
    await controls.close();
    await cleanup();
  }
});

test('route and key budgets both apply: the tighter refuses, and a refusal holds neither', async () => {
  const { store, cleanup } = await openTestStore('sqlite');
  const config = parseConfig({ routes: { tight: { budgets: ['0.003usd/day'] }, loose: { budgets: ['1usd/day', '1M/month'] } } }, {});
  const controls = await createControls({ store, config, env: {}, runtime });
  try {
    const { record } = await controls.keys.create({ name: 'agent', budgets: [{ kind: 'usd', limit: 5 * WORST, period: 'day' }] });
    // Route 'tight' fits 3, the key 5: the route refuses the fourth.
    for (let i = 0; i < 3; i++) (await controls.chatControls.admit(context(record.id), request, routeTarget(config, 'tight'))).finish(served(WORST));
    await settled();
    await assert.rejects(controls.chatControls.admit(context(record.id), request, routeTarget(config, 'tight')), refusedBy(/^route 'tight' budget \$0\.00300\/day exhausted: spent \$0\.00300/));
    // On 'loose' the key is the tighter: 2 more fit (the refusal above held nothing of the key's).
    for (let i = 0; i < 2; i++) (await controls.chatControls.admit(context(record.id), request, routeTarget(config, 'loose'))).finish(served(WORST));
    await settled();
    await assert.rejects(controls.chatControls.admit(context(record.id), request, routeTarget(config, 'loose')), refusedBy(/^key 'agent' budget \$0\.00500\/day exhausted: spent \$0\.00500/));
    const metrics = (await controls.renderMetrics()).body;
    assert.match(metrics, /arbiter_budget_rejections_total\{scope="route"\} 1\b/);
    assert.match(metrics, /arbiter_budget_rejections_total\{scope="key"\} 1\b/);
  } finally {
    await controls.close();
    await cleanup();
  }
});

test('route budget: answers from the cache reserve nothing', async () => {
  const { store, cleanup } = await openTestStore('sqlite');
  const config = parseConfig({ routes: { cached: { budgets: ['0.001usd/month'], cache: { enabled: true } } } }, {});
  const controls = await createControls({ store, config, env: {}, runtime });
  try {
    const target = routeTarget(config, 'cached');
    (await controls.chatControls.admit(context(), request, target)).finish(served(WORST));
    await settled();
    for (let i = 0; i < 3; i++) {
      const hit = await controls.chatControls.admit(context(), request, target);
      assert.equal(hit.cachedResponse?.id, 'r');
      hit.finish({ ...served(0), cacheHit: true });
    }
    await assert.rejects(controls.chatControls.admit(context(), { ...request, messages: [{ role: 'user', content: 'new' }] }, target), refusedBy(/^route 'cached'/));
  } finally {
    await controls.close();
    await cleanup();
  }
});

test('route budget: a new UTC period starts from zero', async () => {
  const { store, cleanup } = await openTestStore('sqlite');
  const config = parseConfig({ routes: { daily: { budgets: ['2k/day'] } } }, {});
  let clock = Date.UTC(2025, 0, 31, 23, 59, 59);
  const controls = await createControls({ store, config, env: {}, runtime, now: () => clock });
  try {
    const target = routeTarget(config, 'daily');
    const usage = { prompt_tokens: 100, completion_tokens: 900, total_tokens: 1000 };
    for (let i = 0; i < 2; i++) (await controls.chatControls.admit(context(), request, target)).finish({ ...served(WORST), usage });
    await settled();
    await assert.rejects(controls.chatControls.admit(context(), request, target), refusedBy(/^route 'daily' budget 2k tokens\/day exhausted: used 2,000 tokens/));
    clock = Date.UTC(2025, 1, 1, 0, 0, 0);
    (await controls.chatControls.admit(context(), request, target)).finish({ ...served(WORST), usage });
  } finally {
    await controls.close();
    await cleanup();
  }
});

/**
 * 200 concurrent requests on a route whose budget fits 10 worst cases, half of them under a
 * key with room for 15: exactly 10 are admitted, refusals hold nothing, and after settling at
 * half the worst case exactly the freed room is admitted again.
 */
async function race(controls: Controls, config: ReturnType<typeof parseConfig>, route: string): Promise<string> {
  const { record } = await controls.keys.create({ name: `race-${route}`, budgets: [{ kind: 'usd', limit: 15 * WORST, period: 'month' }] });
  const target = routeTarget(config, route);
  const burst = () => Promise.allSettled(Array.from({ length: 200 }, (_, i) => controls.chatControls.admit(context(i % 2 === 0 ? record.id : undefined), request, target)));
  const first = await burst();
  const admitted = first.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  assert.equal(admitted.length, 10);
  for (const r of first) if (r.status === 'rejected') assert.ok(refusedBy(new RegExp(`^route '${route}' budget \\$0\\.01/month exhausted`))(r.reason), String(r.reason));
  let spent = 0;
  for (const admission of admitted) {
    admission.finish(served(WORST / 2));
    spent += WORST / 2;
  }
  // Settling is fire-and-forget, but its writes leave before the next reservations on the
  // same connection (Redis runs them in order) or synchronously (memory).
  await settled();
  // Half of the budget is left: exactly 5 more worst cases fit.
  const second = await burst();
  const again = second.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  assert.equal(again.length, 5);
  for (const admission of again) {
    admission.finish(served(WORST));
    spent += WORST;
  }
  assert.ok(spent <= 10 * WORST, `spent ${spent}`);
  return record.id;
}

test('route budget race: 200 concurrent requests, exactly what fits is admitted (memory ledger)', async () => {
  const { store, cleanup } = await openTestStore('sqlite');
  const config = parseConfig({ routes: { race: { budgets: ['0.01usd/month'] } } }, {});
  const controls = await createControls({ store, config, env: {}, runtime });
  try {
    await race(controls, config, 'race');
    await controls.close();
    const rows = await store.db.selectFrom('audit_log').selectAll().execute();
    assert.equal(rows.length, 400, 'every request audited, refusals included');
    const spent = rows.reduce((sum, row) => sum + Number(row.cost_nano ?? 0), 0);
    assert.ok(spent <= 10 * WORST + WORST, `audited spend ${spent}`);
  } finally {
    await controls.close();
    await cleanup();
  }
});

test('route budget race: 200 concurrent requests, exactly what fits is admitted (redis ledger)', async (t) => {
  const probe = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
  try {
    await probe.connect();
    await probe.ping();
  } catch {
    probe.disconnect();
    t.skip('redis not reachable at 127.0.0.1:6379');
    return;
  }
  // A fresh route name: the ledger's scopes are shared by every process on this Redis.
  const route = `race-${randomBytes(6).toString('hex')}`;
  const { store, cleanup } = await openTestStore('sqlite');
  const config = parseConfig({ routes: { [route]: { budgets: ['0.01usd/month'] } } }, {});
  const redisPrefix = `arbiter-test:${randomBytes(6).toString('hex')}:`;
  const controls = await createControls({ store, config, env: {}, runtime, redisUrl: 'redis://127.0.0.1:6379', redisPrefix });
  try {
    await race(controls, config, route);
  } finally {
    await controls.close();
    const written = await probe.keys(`${redisPrefix}*`);
    if (written.length > 0) await probe.del(...written);
    await probe.quit();
    await cleanup();
  }
});

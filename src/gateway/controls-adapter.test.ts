import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseConfig } from '../config/load.js';
import type { ChatRequest } from '../core/chat-request.js';
import type { ChatResponse } from '../core/chat-response.js';
import type { Deployment } from '../core/provider.js';
import { ArbiterError } from '../core/errors.js';
import { openTestStore } from '../store/test-support.js';
import { parseUsdBudget } from '../controls/specs.js';
import type { ResolvedTarget } from '../runtime/types.js';
import type { GatewayContext } from './context.js';
import { createControls } from './controls-adapter.js';

function context(keyId: string | undefined, headers: Record<string, string> = {}): GatewayContext {
  return {
    req: { headers, socket: { remoteAddress: '127.0.0.1' } } as unknown as IncomingMessage,
    res: {} as ServerResponse,
    requestId: `req_${Math.random()}`, method: 'POST', path: '/v1/chat/completions', query: new URLSearchParams(),
    startedAt: Date.now(), responseHeaders: {}, signal: new AbortController().signal, vars: keyId ? { keyId } : {},
  };
}

const deployment = { name: 'd', model: 'm', provider: 'openai', upstreamModel: 'm', baseUrl: 'http://x' } as Deployment;

test('controls adapter: budget exhaustion names the budget; cache hit on the second identical request; audit written', async () => {
  const { store, cleanup } = await openTestStore('sqlite');
  const controls = await createControls({
    store, config: parseConfig({}), env: {},
    runtime: { estimatePromptTokens: () => 1000, estimateEmbeddingTokens: () => 1000, costOf: () => 0 },
  });
  try {
    const { record } = await controls.keys.create({ name: 'support-bot', budgets: [parseUsdBudget('50usd/month')] });
    const request: ChatRequest = { model: 'm', messages: [{ role: 'user', content: 'hi' }], temperature: 0 };
    const target: ResolvedTarget = { requested: 'm', chain: [deployment], reason: 'direct' };
    // A free deployment (costOf gives 0): nothing to reserve, request passes.
    const admission = await controls.chatControls.admit(context(record.id, { 'x-arbiter-cache': 'on' }), request, target);
    const response: ChatResponse = { id: 'r', object: 'chat.completion', created: 0, model: 'm', choices: [{ index: 0, finish_reason: 'stop', logprobs: null, message: { role: 'assistant', content: 'hello' } }] };
    admission.finish({ status: 200, attempts: [], retries: 0, fallbacks: 0, streamed: false, response, costNano: 49_990_000_000 });
    const ctx2 = context(record.id, { 'x-arbiter-cache': 'on' });
    const second = await controls.chatControls.admit(ctx2, request, target);
    assert.equal(second.cachedResponse?.id, 'r');
    second.finish({ status: 200, attempts: [], retries: 0, fallbacks: 0, streamed: false, response, cacheHit: true, costNano: 0 });
    // The first request's cost was settled: $49.99 of $50.00 spent, warnings and refusal follow.
    const ctx3 = context(record.id);
    const third = await controls.chatControls.admit(ctx3, request, target);
    assert.match(ctx3.responseHeaders['x-arbiter-budget-warning'] ?? '', /support-bot/);
    third.finish({ status: 200, attempts: [], retries: 0, fallbacks: 0, streamed: false, costNano: 20_000_000 });
    await assert.rejects(controls.chatControls.admit(context(record.id), request, target), (error: unknown) =>
      error instanceof ArbiterError && error.code === 'budget_exceeded' && /key 'support-bot' budget \$50\.00\/month exhausted: spent \$50\.01/.test(error.message));
  } finally {
    await controls.close();
    const rows = await store.db.selectFrom('audit_log').selectAll().execute();
    // Three served, and the refusal audited too, naming its status and code.
    assert.equal(rows.length, 4);
    assert.equal(rows.filter((r) => r.cache_hit === 1).length, 1);
    assert.deepEqual(rows.filter((r) => r.status === 429).map((r) => [r.error_code, r.key_name]), [['budget_exceeded', 'support-bot']]);
    await cleanup();
  }
});

test('controls adapter: the reservation covers the dearest deployment in the chain; unpriced never settles as free', async () => {
  const { store, cleanup } = await openTestStore('sqlite');
  const cheap = { ...deployment, name: 'cheap' } as Deployment;
  const dear = { ...deployment, name: 'dear' } as Deployment;
  const unpriced = { ...deployment, name: 'unpriced' } as Deployment;
  // Nano-dollars per token: cheap 1 in / 1 out, dear 10 in / 10 out, unpriced none.
  const perToken: Record<string, number | null> = { cheap: 1, dear: 10, unpriced: null };
  const controls = await createControls({
    store, config: parseConfig({}), env: {},
    runtime: {
      estimatePromptTokens: () => 100,
      estimateEmbeddingTokens: () => 100,
      costOf: (d, usage) => { const rate = perToken[d.name]; return rate == null ? null : rate * (usage.prompt_tokens + usage.completion_tokens); },
    },
  });
  try {
    // $0.000011 = 11,000 nano: one dear worst case (10 x (100 + 1000) = 11,000) fits exactly.
    const { record } = await controls.keys.create({ name: 'agent', budgets: [{ kind: 'usd', limit: 11_000, period: 'month' }] });
    const request: ChatRequest = { model: 'm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 1000 };
    const chain: ResolvedTarget = { requested: 'r', chain: [cheap, dear], reason: 'route' };
    const first = await controls.chatControls.admit(context(record.id), request, chain);
    // Held at the dear fallback's worst case, a second request cannot fit while it runs.
    await assert.rejects(controls.chatControls.admit(context(record.id), request, { ...chain, chain: [cheap] }), (error: unknown) =>
      error instanceof ArbiterError && error.code === 'budget_exceeded' && /key 'agent'/.test(error.message));
    // It fell back to an unpriced mirror: the cost is unknown, so the whole reservation stays spent.
    first.finish({ status: 200, attempts: [], retries: 0, fallbacks: 1, streamed: false, deployment: unpriced, costNano: null });
    await new Promise((resolve) => setImmediate(resolve));
    await assert.rejects(controls.chatControls.admit(context(record.id), { ...request, max_tokens: 1 }, { ...chain, chain: [cheap] }), (error: unknown) =>
      error instanceof ArbiterError && error.code === 'budget_exceeded' && /spent \$0\.000011/.test(error.message));
    // A chain with no price at all cannot be charged to a dollar budget.
    const { record: other } = await controls.keys.create({ name: 'other', budgets: [{ kind: 'usd', limit: 1e9, period: 'day' }] });
    await assert.rejects(controls.chatControls.admit(context(other.id), request, { ...chain, chain: [unpriced] }), (error: unknown) =>
      error instanceof ArbiterError && error.code === 'budget_exceeded' && /unpriced has no price/.test(error.message));
  } finally {
    await controls.close();
    await cleanup();
  }
});

test('controls adapter: thinking bought with reasoning_effort is part of the worst case a token budget reserves', async () => {
  const { store, cleanup } = await openTestStore('sqlite');
  const controls = await createControls({
    store, config: parseConfig({}), env: {},
    runtime: { estimatePromptTokens: () => 1000, estimateEmbeddingTokens: () => 1000, costOf: () => 0 },
  });
  try {
    const { parseTokenBudget } = await import('../controls/specs.js');
    const { record } = await controls.keys.create({ name: 'thinker', budgets: [parseTokenBudget('10k/day')] });
    const target: ResolvedTarget = { requested: 'm', chain: [deployment], reason: 'direct' };
    const plain: ChatRequest = { model: 'm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 1000 };
    // 1,000 prompt + 1,000 answer fits in 10k; adding a high-effort thinking budget does not.
    const admitted = await controls.chatControls.admit(context(record.id), plain, target);
    admitted.finish({ status: 200, attempts: [], retries: 0, fallbacks: 0, streamed: false, costNano: 0 });
    await assert.rejects(controls.chatControls.admit(context(record.id), { ...plain, reasoning_effort: 'high' }, target), (error: unknown) =>
      error instanceof ArbiterError && error.code === 'budget_exceeded' && /thinker/.test(error.message));
  } finally {
    await controls.close();
    await cleanup();
  }
});

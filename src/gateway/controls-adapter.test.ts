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
    runtime: { estimatePromptTokens: () => 1000, costOf: () => 0 },
  });
  try {
    const { record } = await controls.keys.create({ name: 'support-bot', budgets: [parseUsdBudget('50usd/month')] });
    const request: ChatRequest = { model: 'm', messages: [{ role: 'user', content: 'hi' }], temperature: 0 };
    const target: ResolvedTarget = { requested: 'm', chain: [deployment], reason: 'direct' };
    // Unpriced deployment: nothing to reserve, request passes.
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
    assert.equal(rows.length, 3);
    assert.equal(rows.filter((r) => r.cache_hit === 1).length, 1);
    await cleanup();
  }
});

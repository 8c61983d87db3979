import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatRequest } from '../core/chat-request.js';
import type { Deployment } from '../core/provider.js';
import { cacheHitAnswer, chatCachePlan } from './cache-policy.js';

const deployment = { name: 'd1', model: 'm', provider: 'openai', upstreamModel: 'up-1', baseUrl: 'http://x' } as Deployment;
const request: ChatRequest = { model: 'm', messages: [{ role: 'user', content: 'hi' }], temperature: 0 };
const cached = { budgets: [], cache: { enabled: true, ttlSeconds: 60, allowNonZeroTemperature: false }, storeBodies: false };

test('cache policy: on for a cached route at temperature 0, off by header, no-cache or sampling', () => {
  const plan = chatCachePlan({}, request, { routeName: 'r', route: cached, chain: [deployment] });
  assert.equal(plan?.ttlMs, 60_000);
  assert.equal(chatCachePlan({ cacheHeader: 'off' }, request, { routeName: 'r', route: cached, chain: [deployment] }), undefined);
  assert.equal(chatCachePlan({ cacheControl: 'no-cache' }, request, { routeName: 'r', route: cached, chain: [deployment] }), undefined);
  assert.equal(chatCachePlan({}, { ...request, temperature: 0.7 }, { routeName: 'r', route: cached, chain: [deployment] }), undefined);
  // A plain model has no route: only the header turns the cache on.
  assert.equal(chatCachePlan({}, request, { chain: [deployment] }), undefined);
  assert.ok(chatCachePlan({ cacheHeader: 'on' }, request, { chain: [deployment] }));
});

test('cache policy: looked up under the first deployment, stored under the one that answered', () => {
  const fallback = { ...deployment, name: 'd2', upstreamModel: 'up-2' } as Deployment;
  const plan = chatCachePlan({}, request, { routeName: 'r', route: cached, chain: [deployment, fallback] });
  assert.ok(plan);
  assert.equal(plan.storeKey('up-1'), plan.key);
  assert.notEqual(plan.storeKey('up-2'), plan.key);
  // The same route whose first deployment now serves up-2 finds the answer up-2 gave.
  assert.equal(chatCachePlan({}, request, { routeName: 'r', route: cached, chain: [fallback] })?.key, plan.storeKey('up-2'));
});

test('cache hit answer: zero cost in usage and headers, the stored response untouched', () => {
  const stored = { id: 'r', object: 'chat.completion' as const, created: 0, model: 'm', choices: [], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2, cost_usd: 0.5 } };
  const headers: Record<string, string> = {};
  const answer = cacheHitAnswer({ response: stored, deployment: { name: 'd1', model: 'm' } }, headers);
  assert.equal(answer.usage?.cost_usd, 0);
  assert.equal(stored.usage.cost_usd, 0.5);
  assert.deepEqual(headers, { 'x-arbiter-cache': 'hit', 'x-arbiter-cost-usd': '0.000000000', 'x-arbiter-retries': '0', 'x-arbiter-fallbacks': '0', 'x-arbiter-model': 'm', 'x-arbiter-deployment': 'd1' });
});

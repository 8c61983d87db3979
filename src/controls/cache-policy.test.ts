import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatRequest } from '../core/chat-request.js';
import type { Deployment } from '../core/provider.js';
import { chatCachePlan } from './cache-policy.js';

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

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment } from '../core/provider.js';
import { auditRowOf, refusedOutcome, requestMetricsOf } from './audit-row.js';
import type { RequestFacts } from './request-facts.js';

const facts: RequestFacts = { requestId: 'req_1', startedAt: 1000, method: 'POST', path: '/v1/chat/completions', keyId: 'k1', keyName: 'bot', responseHeaders: {} };
const deployment = { name: 'd1', model: 'm', provider: 'openai', upstreamModel: 'up', baseUrl: 'http://x' } as Deployment;
const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, prompt_tokens_details: { cached_tokens: 2 }, completion_tokens_details: { reasoning_tokens: 3 } };

test('audit row: a served request records its usage, cost and prompt hash; bodies only when the route stores them', () => {
  const outcome = { status: 200, deployment, attempts: [{ deployment: 'd1', ok: true, latencyMs: 5 }], retries: 0, fallbacks: 0, streamed: true, usage, costNano: 42 };
  const target = { requested: 'm', routeName: 'r', chain: [deployment], reason: 'cheapest', route: { budgets: [], cache: { enabled: false, ttlSeconds: 1, allowNonZeroTemperature: false }, storeBodies: false } };
  const row = auditRowOf(facts, { prompt: { model: 'm', content: [{ role: 'user', content: 'sk-secret hi' }] }, target, outcome, blocked: ['rm'] }, 7);
  assert.deepEqual([row.request_id, row.key_id, row.key_name, row.route, row.deployment, row.reason], ['req_1', 'k1', 'bot', 'r', 'd1', 'cheapest']);
  assert.deepEqual([row.prompt_tokens, row.completion_tokens, row.cached_tokens, row.reasoning_tokens, row.cost_nano, row.streamed, row.latency_ms], [10, 5, 2, 3, 42, 1, 7]);
  assert.equal(row.blocked_tools_json, '["rm"]');
  assert.match(row.prompt_hash ?? '', /^[0-9a-f]{64}$/);
  assert.equal(row.prompt_body, null);
  const stored = auditRowOf(facts, { prompt: { model: 'm', content: 'x' }, target: { ...target, route: { ...target.route, storeBodies: true } }, outcome, blocked: [] }, 7);
  assert.equal(stored.prompt_body, '"x"');
});

test('audit row: a cache hit bills no tokens; a refusal at the door names itself', () => {
  const hit = auditRowOf(facts, { outcome: { status: 200, deployment, attempts: [], retries: 0, fallbacks: 0, streamed: false, usage, cacheHit: true, costNano: 0 }, blocked: [] }, 1);
  assert.deepEqual([hit.prompt_tokens, hit.completion_tokens, hit.cache_hit, hit.cost_nano], [0, 0, 1, 0]);
  const door = auditRowOf({ ...facts, keyId: undefined, keyName: undefined }, { outcome: refusedOutcome({ status: 401, code: 'invalid_api_key' }), blocked: [] }, 1);
  assert.deepEqual([door.status, door.error_code, door.key_id, door.reason, door.prompt_hash], [401, 'invalid_api_key', null, 'POST /v1/chat/completions refused before the handler', null]);
});

test('request metrics: tokens only for calls that billed them; cost in dollars', () => {
  const metrics = requestMetricsOf({ outcome: { status: 200, deployment, attempts: [], retries: 1, fallbacks: 2, streamed: false, usage, costNano: 2_000_000_000 }, blocked: [] }, 1500);
  assert.deepEqual([metrics.deployment, metrics.retries, metrics.fallbacks, metrics.latencySeconds, metrics.costUsd, metrics.tokens?.reasoning], ['d1', 1, 2, 1.5, 2, 3]);
  const hit = requestMetricsOf({ outcome: { status: 200, attempts: [], retries: 0, fallbacks: 0, streamed: false, usage, cacheHit: true }, blocked: [] }, 1);
  assert.equal(hit.tokens, undefined);
});

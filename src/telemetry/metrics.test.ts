import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMetrics } from './metrics.js';

test('recordRequest adds to the same series for the same labels and to new ones for others', async () => {
  const metrics = createMetrics();
  const base = { route: 'support', deployment: 'gpt@openai', status: 200, cacheHit: false, fallbacks: 0, retries: 0, blockedTools: [], latencySeconds: 0.2 };
  metrics.recordRequest({ ...base, tokens: { prompt: 10, completion: 5, cached: 2, reasoning: 1 }, costUsd: 0.25 });
  metrics.recordRequest({ ...base, tokens: { prompt: 7, completion: 3, cached: 0, reasoning: 0 }, costUsd: 0.5, fallbacks: 2, blockedTools: ['shell'], ttftSeconds: 0.05 });
  metrics.recordRequest({ ...base, status: 429, cacheHit: true });
  const { body } = await metrics.render();
  assert.match(body, /arbiter_requests_total\{route="support",deployment="gpt@openai",status="200",cache="miss"\} 2/);
  assert.match(body, /arbiter_requests_total\{route="support",deployment="gpt@openai",status="429",cache="hit"\} 1/);
  assert.match(body, /arbiter_tokens_total\{deployment="gpt@openai",kind="prompt"\} 17/);
  assert.match(body, /arbiter_tokens_total\{deployment="gpt@openai",kind="cached"\} 2/);
  assert.match(body, /arbiter_cost_usd_total\{deployment="gpt@openai"\} 0.75/);
  assert.match(body, /arbiter_fallbacks_total\{route="support"\} 2/);
  assert.match(body, /arbiter_blocked_tool_calls_total\{tool="shell"\} 1/);
  assert.match(body, /arbiter_request_duration_seconds_count\{route="support",deployment="gpt@openai"\} 3/);
  assert.match(body, /arbiter_time_to_first_token_seconds_count\{route="support",deployment="gpt@openai"\} 1/);
});

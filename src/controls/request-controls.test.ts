import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../config/load.js';
import type { ChatRequest } from '../core/chat-request.js';
import type { ChatResponse } from '../core/chat-response.js';
import type { Deployment } from '../core/provider.js';
import { ArbiterError } from '../core/errors.js';
import { openTestStore } from '../store/test-support.js';
import { createRequestControls } from './request-controls.js';
import type { ChatOutcome, RequestFacts, TargetFacts } from './request-facts.js';
import { TEST_REDIS_URL } from './test-redis.js';

const deployment = { name: 'd', model: 'm', provider: 'openai', upstreamModel: 'm', baseUrl: 'http://x' } as Deployment;
const target: TargetFacts = { requested: 'm', chain: [deployment], reason: 'direct' };

function facts(keyId?: string, headers: Partial<RequestFacts> = {}): RequestFacts {
  return { requestId: `req_${Math.random()}`, startedAt: Date.now(), method: 'POST', path: '/v1/chat/completions', keyId, responseHeaders: {}, ...headers };
}

function served(completionTokens: number, toolCalls = 0): ChatOutcome {
  const calls = Array.from({ length: toolCalls }, (_, i) => ({ id: `c${i}`, type: 'function' as const, function: { name: 'f', arguments: '{}' } }));
  const response: ChatResponse = {
    id: 'r', object: 'chat.completion', created: 0, model: 'm',
    choices: [{ index: 0, finish_reason: 'stop', logprobs: null, message: { role: 'assistant', content: 'x', ...(toolCalls > 0 ? { tool_calls: calls } : {}) } }],
    usage: { prompt_tokens: 100, completion_tokens: completionTokens, total_tokens: 100 + completionTokens },
  };
  return { status: 200, attempts: [], retries: 0, fallbacks: 0, streamed: false, deployment, response };
}

const isRateLimited = (error: unknown) => error instanceof ArbiterError && error.code === 'rate_limit_exceeded';
// Settles are fire-and-forget: let the limiter's write land.
const settled = () => new Promise((resolve) => setTimeout(resolve, 20));

for (const limiter of ['memory', 'redis'] as const) {
  test(`request controls (${limiter} limiter): tokens per minute count once, reserved at admission and settled to what was used`, async () => {
    const { store, cleanup } = await openTestStore('sqlite');
    const controls = await createRequestControls({
      store, config: parseConfig({}), ...(limiter === 'redis' ? { redisUrl: TEST_REDIS_URL } : {}),
      runtime: { estimatePromptTokens: () => 100, estimateEmbeddingTokens: () => 100, costOf: () => 0 },
    });
    try {
      const { record } = await controls.keys.create({ name: 'tpm-bot', tpm: 1000 });
      const request: ChatRequest = { model: 'm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 300 };
      // Each request reserves 100 + 300 and uses exactly that: two fit in 1,000, a third does not.
      for (let i = 0; i < 2; i++) {
        const admission = await controls.admitChat(facts(record.id), request, target);
        admission.finish(served(300));
        await settled();
      }
      await assert.rejects(controls.admitChat(facts(record.id), request, target), isRateLimited);
      // Used less than reserved: the difference comes back (800 used, 200 left: a 100 + 100 request fits).
      const { record: frugal } = await controls.keys.create({ name: 'frugal', tpm: 1000 });
      for (let i = 0; i < 4; i++) {
        const admission = await controls.admitChat(facts(frugal.id), request, target);
        admission.finish(served(100));
        await settled();
      }
      const last = await controls.admitChat(facts(frugal.id), { ...request, max_tokens: 100 }, target);
      last.finish(served(100));
    } finally {
      await controls.close();
      await cleanup();
    }
  });

  test(`request controls (${limiter} limiter): tool calls per minute are counted from the answer, and a cache hit costs no tokens`, async () => {
    const { store, cleanup } = await openTestStore('sqlite');
    const controls = await createRequestControls({
      store, config: parseConfig({}), ...(limiter === 'redis' ? { redisUrl: TEST_REDIS_URL } : {}),
      runtime: { estimatePromptTokens: () => 100, estimateEmbeddingTokens: () => 100, costOf: () => 0 },
    });
    try {
      const { record } = await controls.keys.create({ name: 'tools-bot', toolCallsPerMinute: 3, tpm: 500 });
      const request: ChatRequest = { model: 'm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 100, temperature: 0, tools: [{ type: 'function', function: { name: 'f' } }] };
      const first = await controls.admitChat(facts(record.id, { cacheHeader: 'on' }), request, target);
      first.finish(served(100, 3));
      await settled();
      // Three calls made of three allowed: the next request offering tools is refused...
      await assert.rejects(controls.admitChat(facts(record.id), { ...request, messages: [{ role: 'user', content: 'again' }] }, target), isRateLimited);
      // ...but one without tools passes.
      const plain = await controls.admitChat(facts(record.id), { model: 'm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 100 }, target);
      plain.finish(served(100));
      await settled();
      // 400 of 500 tokens used; answers from the cache call nothing upstream and leave the window as it was.
      const { record: cached } = await controls.keys.create({ name: 'cached-bot', tpm: 500 });
      const cacheable: ChatRequest = { model: 'm', messages: [{ role: 'user', content: 'cache me' }], max_tokens: 100, temperature: 0 };
      const miss = await controls.admitChat(facts(cached.id, { cacheHeader: 'on' }), cacheable, target);
      miss.finish(served(100));
      await settled();
      for (let i = 0; i < 3; i++) {
        const hit = await controls.admitChat(facts(cached.id, { cacheHeader: 'on' }), cacheable, target);
        assert.ok(hit.cachedResponse);
        hit.finish({ ...served(100), cacheHit: true, costNano: 0 });
        await settled();
      }
      const after = await controls.admitChat(facts(cached.id), { ...cacheable, max_tokens: 200 }, target);
      after.finish(served(200));
    } finally {
      await controls.close();
      await cleanup();
    }
  });
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatRequest } from '../core/chat-request.js';
import type { ChatResponse } from '../core/chat-response.js';
import { ResponseCache, cacheApplies, cacheKey, canonicalJson } from './cache.js';

const base: ChatRequest = { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], temperature: 0 };

test('cache key: canonical JSON ignores key order, sees every answer-shaping field', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } }), '{"a":{"d":[1,{"y":2,"z":1}]},"b":1}');
  const reordered = { temperature: 0, messages: [{ content: 'hi', role: 'user' }], model: 'gpt-4o' } as ChatRequest;
  assert.equal(cacheKey(base, 'route:r'), cacheKey(reordered, 'route:r'));
  assert.notEqual(cacheKey(base, 'route:r'), cacheKey(base, 'route:other'));
  assert.notEqual(cacheKey(base, 'r'), cacheKey({ ...base, seed: 1 }, 'r'));
  assert.notEqual(cacheKey(base, 'r'), cacheKey({ ...base, max_tokens: 5 }, 'r'));
  assert.equal(cacheKey({ ...base, max_tokens: 5 }, 'r'), cacheKey({ ...base, max_completion_tokens: 5 }, 'r'));
  assert.equal(cacheKey(base, 'r'), cacheKey({ ...base, user: 'someone', stream: true }, 'r'));
});

test('cache key: each field that changes the answer changes the key, and so does the upstream model', () => {
  const variants: Array<[string, Partial<ChatRequest> & Record<string, unknown>]> = [
    ['n', { n: 2 }],
    ['reasoning_effort', { reasoning_effort: 'high' }],
    ['logprobs', { logprobs: true }],
    ['top_logprobs', { logprobs: true, top_logprobs: 3 }],
    ['presence_penalty', { presence_penalty: 0.5 }],
    ['frequency_penalty', { frequency_penalty: 0.5 }],
    ['seed', { seed: 7 }],
    ['tool_choice', { tool_choice: 'required' }],
    ['response_format', { response_format: { type: 'json_object' } }],
    ['logit_bias', { logit_bias: { '42': -100 } }],
    ['parallel_tool_calls', { parallel_tool_calls: false }],
    ['stop', { stop: ['\n'] }],
    ['top_p', { top_p: 0.5 }],
    // A field Arbiter does not know is passed upstream, so it may change the answer too.
    ['passed-through field', { prediction: { type: 'content', content: 'x' } }],
  ];
  const plain = cacheKey(base, 'route:r', 'gpt-4o-2024-08-06');
  const keys = new Set([plain]);
  for (const [field, change] of variants) {
    const key = cacheKey({ ...base, ...change } as ChatRequest, 'route:r', 'gpt-4o-2024-08-06');
    assert.notEqual(key, plain, field);
    keys.add(key);
  }
  assert.equal(keys.size, variants.length + 1, 'every variant has a key of its own');
  assert.notEqual(cacheKey(base, 'route:r', 'gpt-4o-2024-11-20'), plain, 'upstream model');
  // What only shapes the transport or the bookkeeping does not.
  assert.equal(cacheKey({ ...base, stream: true, stream_options: { include_usage: true }, user: 'u', metadata: { a: 'b' } }, 'route:r', 'gpt-4o-2024-08-06'), plain);
});

test('cache policy: route or header enables, no-cache bypasses, temperature > 0 needs the route to allow it', () => {
  const off = { routeEnabled: false, allowNonZeroTemperature: false, temperature: 0 };
  assert.equal(cacheApplies(off), false);
  assert.equal(cacheApplies({ ...off, cacheHeader: 'on' }), true);
  assert.equal(cacheApplies({ ...off, routeEnabled: true }), true);
  assert.equal(cacheApplies({ ...off, routeEnabled: true, cacheControl: 'no-cache' }), false);
  assert.equal(cacheApplies({ ...off, routeEnabled: true, temperature: 0.7 }), false);
  assert.equal(cacheApplies({ ...off, routeEnabled: true, temperature: undefined }), false);
  assert.equal(cacheApplies({ ...off, routeEnabled: true, temperature: 0.7, allowNonZeroTemperature: true }), true);
});

test('cache: TTL and LRU cap', () => {
  let now = 0;
  const cache = new ResponseCache(2, () => now);
  const response = { response: { id: 'x' } as ChatResponse };
  cache.set('a', response, 1000);
  cache.set('b', response, 1000);
  assert.ok(cache.get('a'));
  cache.set('c', response, 1000);
  assert.equal(cache.get('b'), undefined);
  assert.ok(cache.get('a'));
  now = 1000;
  assert.equal(cache.get('a'), undefined);
});

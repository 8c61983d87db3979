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
  const response = { id: 'x' } as ChatResponse;
  cache.set('a', response, 1000);
  cache.set('b', response, 1000);
  assert.ok(cache.get('a'));
  cache.set('c', response, 1000);
  assert.equal(cache.get('b'), undefined);
  assert.ok(cache.get('a'));
  now = 1000;
  assert.equal(cache.get('a'), undefined);
});

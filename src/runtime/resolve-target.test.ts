import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../config/load.js';
import { ArbiterError } from '../core/errors.js';
import type { ChatRequest } from '../core/chat-request.js';
import type { Deployment } from '../core/provider.js';
import { ModelIndex } from './model-index.js';
import { resolveTarget } from './resolve-target.js';
import type { Routing } from './routing.js';
import type { TargetHints } from './types.js';

function deployment(name: string, model: string): Deployment {
  return { name, model, provider: 'openai', upstreamModel: model, baseUrl: 'http://x', timeouts: { connectMs: 1, firstByteMs: 1, totalMs: 1 } };
}

const local = deployment('llama@ollama', 'llama');
const cloud = deployment('gpt@openai', 'gpt');
const index = new ModelIndex([local, cloud]);
const config = parseConfig({
  defaultRoute: 'general',
  routes: { general: { task: 'chat' }, 'private-data': { task: 'chat', compliance: { localOnly: true } } },
}, {});
// The routes' decisions as the router would make them: private-data admits the local model only.
const chains: Record<string, Deployment[]> = { general: [cloud, local], 'private-data': [local] };
const routing = {
  decideRoute: (routeName: string) => ({ requested: 'x', routeName, route: config.routes[routeName], chain: chains[routeName] ?? [], reason: `route ${routeName}` }),
  orderMirrors: (mirrors: Deployment[]) => mirrors,
} as unknown as Routing;

function resolve(model: string, hints: TargetHints) {
  const request: ChatRequest = { model, messages: [{ role: 'user', content: 'hi' }] };
  return resolveTarget({ request, hints, index, routing, config, estimate: () => 1 });
}

const denied = (pattern: RegExp) => (error: unknown) => error instanceof ArbiterError && error.status === 403 && pattern.test(error.message);

describe('resolveTarget', () => {
  test('without a key: header, route name, arbiter/auto and plain models each pick their target', () => {
    assert.equal(resolve('gpt', { routeHeader: 'private-data' }).routeName, 'private-data');
    assert.equal(resolve('private-data', {}).routeName, 'private-data');
    assert.equal(resolve('arbiter/auto', {}).routeName, 'general');
    assert.deepEqual(resolve('gpt', {}).chain.map((d) => d.name), ['gpt@openai']);
  });

  test('a key bound to a route is held to it whatever the request names', () => {
    const hints = { keyRoute: 'private-data' };
    assert.equal(resolve('arbiter/auto', hints).routeName, 'private-data');
    assert.equal(resolve('private-data', hints).routeName, 'private-data');
    // A model the route admits: served, through the route.
    const named = resolve('llama', hints);
    assert.equal(named.routeName, 'private-data');
    assert.deepEqual(named.chain.map((d) => d.name), ['llama@ollama']);
    // A model the route's policy excludes (not local) is refused, not served around the policy.
    assert.throws(() => resolve('gpt', hints), denied(/'gpt' is not allowed by the route 'private-data'/));
    assert.throws(() => resolve('gpt@openai', hints), denied(/not allowed/));
    // Another route, by header or by model name, is refused.
    assert.throws(() => resolve('arbiter/auto', { ...hints, routeHeader: 'general' }), denied(/bound to the route 'private-data'/));
    assert.throws(() => resolve('general', hints), denied(/may not use the route 'general'/));
    // A name that is neither: the key's route decides.
    assert.equal(resolve('whatever', hints).routeName, 'private-data');
  });
});

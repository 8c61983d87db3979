import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { routeConfigSchema } from '../config/routes.js';
import { ArbiterError } from '../core/errors.js';
import type { Deployment } from '../core/provider.js';
import { compileRoute, decide, explainDecision } from './decide.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { executeChain } from './execute-chain.js';
import type { QualityLookup, RequestFacts, RouteCandidate } from './route-candidate.js';

function deployment(name: string, model = name): Deployment {
  return { name, model, provider: 'openai', upstreamModel: model, baseUrl: 'http://x', timeouts: { connectMs: 1, firstByteMs: 1, totalMs: 1 } };
}

function candidate(modelId: string, overrides: Partial<RouteCandidate> = {}, price = { input: 1, output: 2 }, region = 'us', local = false): RouteCandidate {
  return {
    modelId, vendor: `${modelId}-vendor`, jurisdiction: 'US', openWeights: false, contextWindow: 100_000, maxOutput: 4_000,
    capabilities: { tools: true, parallelTools: true, jsonSchema: true, vision: false, reasoning: false },
    routes: [{ deployment: deployment(modelId), region, residency: region.toUpperCase(), local, price }],
    ...overrides,
  };
}

const facts: RequestFacts = { promptTokens: 1000, maxOutputTokens: 200, needsTools: false, needsJsonSchema: false, needsVision: false };
const policy = (raw: Record<string, unknown>) => routeConfigSchema.parse(raw);

describe('policy filtering', () => {
  const slate = [
    candidate('us-closed'),
    candidate('cn-open', { jurisdiction: 'CN', openWeights: true }),
    candidate('eu-model', { jurisdiction: 'FR' }, { input: 1, output: 2 }, 'eu'),
    candidate('local-small', { jurisdiction: 'LOCAL', openWeights: true }, { input: 0, output: 0 }, 'local', true),
    candidate('no-tools', { capabilities: { tools: false, parallelTools: false, jsonSchema: false, vision: false, reasoning: false } }),
  ];
  const survivors = (raw: Record<string, unknown>, requestFacts = facts, quality?: QualityLookup) =>
    decide({ compiled: compileRoute('r', policy(raw), slate), facts: requestFacts, quality, requestId: 'x' }).survivors.map((s) => s.modelId).sort();

  test('each compliance rule excludes exactly what it should', () => {
    assert.deepEqual(survivors({ compliance: { denyJurisdictions: ['CN'] } }), ['eu-model', 'local-small', 'no-tools', 'us-closed']);
    assert.deepEqual(survivors({ compliance: { allowJurisdictions: ['FR'] } }), ['eu-model']);
    assert.deepEqual(survivors({ compliance: { openWeightsOnly: true } }), ['cn-open', 'local-small']);
    assert.deepEqual(survivors({ compliance: { localOnly: true } }), ['local-small']);
    assert.deepEqual(survivors({ compliance: { allowRegions: ['eu'] } }), ['eu-model']);
    assert.deepEqual(survivors({ compliance: { excludeVendors: ['us-closed-vendor'] } }), ['cn-open', 'eu-model', 'local-small', 'no-tools']);
  });

  test('capabilities, context and price ceilings', () => {
    assert.ok(!survivors({ require: ['tools'] }).includes('no-tools'));
    assert.ok(!survivors({}, { ...facts, needsTools: true }).includes('no-tools'));
    assert.deepEqual(survivors({}, { ...facts, promptTokens: 200_000 }), []);
    assert.deepEqual(survivors({ maxPricePerMTokens: 0.5 }), ['local-small']);
  });

  test('a quality floor excludes unmeasured and low models, explore admits unmeasured ones', () => {
    const quality: QualityLookup = (model) => model === 'us-closed' ? { passes: 90, total: 100, passRate: 0.9, passRateLower: 0.83, passRateUpper: 0.94 }
      : model === 'cn-open' ? { passes: 50, total: 100, passRate: 0.5, passRateLower: 0.4, passRateUpper: 0.6 } : undefined;
    assert.deepEqual(survivors({ task: 'code', qualityFloor: 0.7 }, facts, quality), ['us-closed']);
    assert.equal(survivors({ task: 'code', qualityFloor: 0.7, explore: 0.1 }, facts, quality).length, 4);
  });
});

describe('choice', () => {
  test('lowest expected cost per success wins, not lowest price', () => {
    const cheapWeak = candidate('cheap-weak', {}, { input: 0.1, output: 0.1 });
    const dearStrong = candidate('dear-strong', {}, { input: 0.2, output: 0.2 });
    const quality: QualityLookup = (model) => model === 'cheap-weak' ? { passes: 1, total: 10, passRate: 0.1, passRateLower: 0.02, passRateUpper: 0.4 } : { passes: 9, total: 10, passRate: 0.9, passRateLower: 0.6, passRateUpper: 0.98 };
    const decision = decide({ compiled: compileRoute('code', policy({ task: 'code' }), [cheapWeak, dearStrong]), facts, quality, requestId: 'r' });
    assert.equal(decision.chain[0]?.name, 'dear-strong');
    assert.equal(decision.chain[1]?.name, 'cheap-weak');
    assert.match(decision.reason, /dear-strong lowest cost per success/);
    const text = explainDecision(decision);
    assert.match(text, /cheap-weak/);
    assert.match(text, /Chain: dear-strong -> cheap-weak/);
  });

  test('mirrors stay behind their model and residency filters them', () => {
    const model = candidate('m');
    model.routes.push({ deployment: deployment('m@eu', 'm'), region: 'eu', residency: 'EU', local: false, price: { input: 5, output: 5 } });
    const all = decide({ compiled: compileRoute('r', policy({}), [model]), facts, requestId: 'r' });
    assert.deepEqual(all.chain.map((d) => d.name), ['m', 'm@eu']);
    const eu = decide({ compiled: compileRoute('r', policy({ compliance: { allowRegions: ['eu'] } }), [model]), facts, requestId: 'r' });
    assert.deepEqual(eu.chain.map((d) => d.name), ['m@eu']);
  });
});

describe('executeChain', () => {
  const chain = [deployment('a'), deployment('b')];
  const retryPolicy = { maxAttempts: 2, baseDelayMs: 100, maxDelayMs: 5_000 };

  test('429 with Retry-After is retried after exactly that delay', async () => {
    const sleeps: number[] = [];
    let calls = 0;
    const result = await executeChain({
      chain, policy: retryPolicy, sleep: async (ms) => { sleeps.push(ms); }, random: () => 0.5,
      attempt: async () => { calls++; if (calls === 1) throw new ArbiterError('rate_limit_exceeded', 'slow down', { retryAfterMs: 1200 }); return 'ok'; },
    });
    assert.equal(result.value, 'ok');
    assert.deepEqual(sleeps, [1200]);
    assert.equal(result.retries, 1);
    assert.equal(result.fallbacks, 0);
  });

  test('500s exhaust retries then fall back; the attempts are recorded', async () => {
    const result = await executeChain({
      chain, policy: retryPolicy, sleep: async () => undefined, random: () => 0,
      attempt: async (d) => { if (d.name === 'a') throw new ArbiterError('upstream_error', 'boom', { status: 500 }); return d.name; },
    });
    assert.equal(result.value, 'b');
    assert.equal(result.fallbacks, 1);
    assert.deepEqual(result.attempts.map((a) => [a.deployment, a.ok]), [['a', false], ['a', false], ['b', true]]);
  });

  test('a Retry-After longer than the cap moves on immediately', async () => {
    const sleeps: number[] = [];
    const result = await executeChain({
      chain, policy: retryPolicy, sleep: async (ms) => { sleeps.push(ms); },
      attempt: async (d) => { if (d.name === 'a') throw new ArbiterError('rate_limit_exceeded', 'later', { retryAfterMs: 60_000 }); return d.name; },
    });
    assert.equal(result.value, 'b');
    assert.deepEqual(sleeps, []);
  });

  test('a client 400 is neither retried nor fallen back', async () => {
    let calls = 0;
    await assert.rejects(executeChain({
      chain, policy: retryPolicy, sleep: async () => undefined,
      attempt: async () => { calls++; throw new ArbiterError('invalid_request', 'bad', { param: 'messages' }); },
    }), (error: unknown) => (error as ArbiterError).status === 400);
    assert.equal(calls, 1);
  });

  test('all failing with the same status keeps it (429 stays 429 with Retry-After); mixed gives 502', async () => {
    await assert.rejects(executeChain({ chain, policy: { ...retryPolicy, maxAttempts: 1 }, attempt: async () => { throw new ArbiterError('rate_limit_exceeded', 'x', { retryAfterMs: 2000 }); } }),
      (error: unknown) => (error as ArbiterError).status === 429 && (error as ArbiterError).retryAfterMs === 2000);
    await assert.rejects(executeChain({ chain, policy: { ...retryPolicy, maxAttempts: 1 }, attempt: async (d) => { throw new ArbiterError(d.name === 'a' ? 'rate_limit_exceeded' : 'upstream_timeout', 'x'); } }),
      (error: unknown) => (error as ArbiterError).code === 'all_targets_failed' && (error as ArbiterError).status === 502);
  });
});

describe('circuit breaker', () => {
  test('opens after the threshold, half-opens after the cooldown, closes on a good probe', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 1000, now: () => now });
    for (let i = 0; i < 3; i++) breaker.recordFailure();
    assert.equal(breaker.current(), 'open');
    assert.equal(breaker.tryAcquire(), false);
    now = 1000;
    assert.equal(breaker.current(), 'half-open');
    assert.equal(breaker.tryAcquire(), true);
    assert.equal(breaker.tryAcquire(), false, 'one probe at a time');
    breaker.recordFailure();
    assert.equal(breaker.current(), 'open');
    now = 2500;
    assert.equal(breaker.tryAcquire(), true);
    breaker.recordSuccess();
    assert.equal(breaker.current(), 'closed');
  });
});

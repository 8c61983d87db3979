import type { CancelSignal } from '../core/cancel-signal.js';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ArbiterError } from '../core/errors.js';
import type { Deployment } from '../core/provider.js';
import { HealthTracker } from './deployment-health.js';
import { executeChain } from './execute-chain.js';
import { executeHedged } from './hedge-chain.js';

function deployment(name: string): Deployment {
  return { name, model: name, provider: 'openai', upstreamModel: name, baseUrl: 'http://x', timeouts: { connectMs: 1, firstByteMs: 1, totalMs: 1 } };
}

const chain = [deployment('a'), deployment('b')];
const policy = { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 };

/** A sleep the test fires by hand, so nothing depends on wall-clock time. */
function manualSleep() {
  const waiting: Array<{ ms: number; fire: () => void }> = [];
  const sleep = (ms: number, signal?: CancelSignal) => new Promise<void>((resolve, reject) => {
    waiting.push({ ms, fire: resolve });
    signal?.addEventListener('abort', () => reject(new Error('cancelled')), { once: true });
  });
  return { sleep, waiting };
}

/** An attempt that hangs until its signal aborts. */
const hang = (signal?: CancelSignal) => new Promise<never>((_resolve, reject) => {
  signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
});

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('hedging', () => {
  test('a slow first candidate is hedged after its p95; the second answers and the first is aborted', async () => {
    const { sleep, waiting } = manualSleep();
    let firstAborted = false;
    const pending = executeHedged({
      chain, policy, sleep,
      hedge: { delayMs: (d) => (d.name === 'a' ? 250 : undefined) },
      attempt: async (d, signal) => {
        if (d.name === 'b') return 'from b';
        signal?.addEventListener('abort', () => { firstAborted = true; });
        return hang(signal);
      },
    });
    await tick();
    assert.deepEqual(waiting.map((w) => w.ms), [250], 'waits the first candidate\'s p95');
    waiting[0]!.fire();
    const result = await pending;
    assert.equal(result.value, 'from b');
    assert.equal(result.deployment.name, 'b');
    assert.equal(result.hedged, true);
    assert.equal(result.fallbacks, 1);
    assert.equal(firstAborted, true);
  });

  test('a first candidate that answers in time never starts the second', async () => {
    const { sleep } = manualSleep();
    const called: string[] = [];
    const result = await executeHedged({
      chain, policy, sleep,
      hedge: { delayMs: () => 250 },
      attempt: async (d) => { called.push(d.name); return d.name; },
    });
    assert.equal(result.value, 'a');
    assert.equal(result.hedged, false);
    assert.deepEqual(called, ['a']);
  });

  test('a failure before the hedge fires falls back at once', async () => {
    const { sleep } = manualSleep();
    const result = await executeHedged({
      chain, policy, sleep,
      hedge: { delayMs: () => 10_000 },
      attempt: async (d) => { if (d.name === 'a') throw new ArbiterError('upstream_error', 'boom', { status: 500 }); return d.name; },
    });
    assert.equal(result.value, 'b');
    assert.equal(result.fallbacks, 1);
  });

  test('the loser\'s late value is discarded (a stream would be closed)', async () => {
    const { sleep, waiting } = manualSleep();
    let releaseFirst: (value: string) => void = () => undefined;
    const discarded: string[] = [];
    const pending = executeHedged<string>({
      chain, policy, sleep,
      hedge: { delayMs: () => 5, discard: (value) => discarded.push(value) },
      // The first ignores its abort signal and still produces a value after losing.
      attempt: (d) => (d.name === 'a' ? new Promise<string>((resolve) => { releaseFirst = resolve; }) : Promise.resolve('b')),
    });
    await tick();
    waiting[0]!.fire();
    assert.equal((await pending).value, 'b');
    releaseFirst('late a');
    await tick();
    assert.deepEqual(discarded, ['late a']);
  });

  test('a client error on the first candidate ends the request without hedging', async () => {
    const { sleep } = manualSleep();
    const called: string[] = [];
    await assert.rejects(executeHedged({
      chain, policy, sleep,
      hedge: { delayMs: () => 5 },
      attempt: async (d) => { called.push(d.name); throw new ArbiterError('invalid_request', 'bad'); },
    }), (error: unknown) => (error as ArbiterError).status === 400);
    assert.deepEqual(called, ['a']);
  });

  test('without a p95 for the first candidate there is no hedge', async () => {
    const { sleep, waiting } = manualSleep();
    const result = await executeHedged({ chain, policy, sleep, hedge: { delayMs: () => undefined }, attempt: async (d) => d.name });
    assert.equal(result.value, 'a');
    assert.equal(waiting.length, 0);
  });
});

describe('live p95 and probe slots', () => {
  test('p95 is unknown until ten successes, then the nearest-rank 95th percentile of recent ones', () => {
    const health = new HealthTracker();
    for (let i = 1; i <= 9; i++) health.record('a', true, i * 10);
    assert.equal(health.p95LatencyMs('a'), undefined);
    health.record('a', false, 5_000);
    assert.equal(health.p95LatencyMs('a'), undefined, 'failures are not latencies');
    for (let i = 10; i <= 20; i++) health.record('a', true, i * 10);
    // 20 samples 10..200: rank ceil(0.95 * 20) = 19 -> 190.
    assert.equal(health.p95LatencyMs('a'), 190);
  });

  test('an aborted half-open probe frees the slot for the next caller', async () => {
    let now = 0;
    const health = new HealthTracker({ failureThreshold: 1, cooldownMs: 100, now: () => now });
    health.record('a', false, 1);
    now = 100;
    const abort = new AbortController();
    const pending = executeChain({ chain: [deployment('a')], policy, health, signal: abort.signal, attempt: (_d, signal) => hang(signal) });
    await tick();
    abort.abort(new ArbiterError('client_closed', 'gone'));
    await assert.rejects(pending);
    assert.equal(health.tryAcquire('a'), true, 'the probe slot was released');
  });
});

/**
 * Fallback paths against the real simulator and HTTP stack: a connection reset mid-body and
 * an upstream that never answers (timeout) on the first mirror both end in a 200 from the
 * second, with the retries and the fallback reported. Stream failures before the first byte
 * are covered in src/runtime/attempt.test.ts, after it in src/gateway/gateway.test.ts.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../src/config/load.js';
import { startArbiter, type RunningArbiter } from '../src/gateway/start.js';
import { startSimulator } from '../src/sim/server.js';

type Sim = Awaited<ReturnType<typeof startSimulator>>;
let resetting: Sim;
let hanging: Sim;
let healthy: Sim;
let arbiter: RunningArbiter;

before(async () => {
  resetting = await startSimulator({ port: 0, latencyScale: 0, faults: { cutRate: 1 } });
  // A latency spike well past the deployment's 300 ms first-byte timeout: it never answers in time.
  hanging = await startSimulator({ port: 0, latencyScale: 0, faults: { spikeRate: 1, spikeMs: 2_000 } });
  healthy = await startSimulator({ port: 0, latencyScale: 0 });
  const mirror = (name: string, model: string, sim: Sim) => ({
    name, model, provider: 'openai' as const, upstreamModel: 'sim-swift', baseUrl: `${sim.url}/v1`, apiKey: 'sk-test', catalogModel: 'sim-swift', simulated: true,
    timeouts: { firstByteMs: 300 },
  });
  const config = parseConfig({
    server: { port: 0, logLevel: 'silent' },
    storage: { url: 'sqlite::memory:' },
    deployments: [
      mirror('reset-first', 'model-a', resetting), mirror('healthy-a', 'model-a', healthy),
      mirror('hang-first', 'model-b', hanging), mirror('healthy-b', 'model-b', healthy),
    ],
  }, {});
  arbiter = await startArbiter({ config, env: {}, quiet: true });
});

after(async () => {
  await arbiter?.close();
  await Promise.all([resetting?.close(), hanging?.close(), healthy?.close()]);
});

async function ask(model: string) {
  const res = await fetch(`${arbiter.url}/v1/chat/completions`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], max_tokens: 8 }),
  });
  const body = await res.json() as { choices?: unknown[] };
  return { status: res.status, deployment: res.headers.get('x-arbiter-deployment'), retries: Number(res.headers.get('x-arbiter-retries')), fallbacks: Number(res.headers.get('x-arbiter-fallbacks')), body };
}

test('a connection reset mid-body is retried, then falls back to the mirror', async () => {
  const result = await ask('model-a');
  assert.equal(result.status, 200);
  assert.equal(result.deployment, 'healthy-a');
  assert.equal(result.retries, 1, 'one retry on the resetting mirror (two attempts by default)');
  assert.equal(result.fallbacks, 1);
  assert.equal(result.body.choices?.length, 1);
});

test('an upstream timeout is retried, then falls back to the mirror', async () => {
  const result = await ask('model-b');
  assert.equal(result.status, 200);
  assert.equal(result.deployment, 'healthy-b');
  assert.equal(result.retries, 1);
  assert.equal(result.fallbacks, 1);
});

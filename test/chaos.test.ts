/**
 * Chaos: two of three deployments behind a route fail 30% of the time (500s and 429s) and
 * spike in latency; 2,000 requests through the route all succeed, and the retries and
 * fallbacks that made it so are counted.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator } from '../src/sim/server.js';
import { parseConfig } from '../src/config/load.js';
import { startArbiter, type RunningArbiter } from '../src/gateway/start.js';

let sim: Awaited<ReturnType<typeof startSimulator>>;
let arbiter: RunningArbiter;

before(async () => {
  const flaky = { errorRate: 0.2, rateLimitRate: 0.1, spikeRate: 0.3, spikeMs: 15 };
  sim = await startSimulator({ port: 0, latencyScale: 0, seed: 5, modelFaults: { 'sim-swift': flaky, 'sim-coder-open': flaky } });
  const deployment = (model: string) => ({ name: model, provider: 'openai', upstreamModel: model, baseUrl: `${sim.url}/v1`, apiKey: 'sk-chaos', catalogModel: model, simulated: true });
  const config = parseConfig({
    server: { port: 0, logLevel: 'silent' },
    storage: { url: 'sqlite::memory:' },
    deployments: [deployment('sim-swift'), deployment('sim-coder-open'), deployment('sim-frontier')],
    routes: { chaos: { task: 'chat', maxFallbacks: 2, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 } } },
  }, {});
  arbiter = await startArbiter({ config, env: {}, quiet: true });
});

after(async () => {
  await arbiter?.close();
  await sim?.close();
});

test('2,000 requests through a route with two flaky deployments all succeed', async () => {
  const total = 2000;
  const concurrency = 40;
  let next = 0;
  let ok = 0;
  let retries = 0;
  let fallbacks = 0;
  const statuses = new Map<number, number>();
  const servedBy = new Map<string, number>();
  async function worker() {
    while (next < total) {
      next += 1;
      const res = await fetch(`${arbiter.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-arbiter-route': 'chaos' },
        body: JSON.stringify({ model: 'arbiter/auto', messages: [{ role: 'user', content: `request ${next}` }], max_tokens: 16 }),
      });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status === 200) ok += 1;
      retries += Number(res.headers.get('x-arbiter-retries') ?? 0);
      fallbacks += Number(res.headers.get('x-arbiter-fallbacks') ?? 0);
      const by = res.headers.get('x-arbiter-deployment') ?? '?';
      servedBy.set(by, (servedBy.get(by) ?? 0) + 1);
      await res.arrayBuffer();
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const report = `statuses ${JSON.stringify([...statuses])}, retries ${retries}, fallbacks ${fallbacks}, served by ${JSON.stringify([...servedBy])}`;
  assert.equal(ok, total, report);
  assert.ok(retries + fallbacks > 0, `faults must have been absorbed by retries or fallbacks: ${report}`);
});

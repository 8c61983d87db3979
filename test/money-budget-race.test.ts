/**
 * The reservation bounds the bill: clients that set no max_tokens race against a route budget
 * while the simulator answers at length (`x-sim-output-tokens`). The gateway reserves its
 * default output allowance and sends it upstream as the cap, so the spend never exceeds the
 * budget by more than one reservation, whichever wire format the deployment speaks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../src/config/load.js';
import type { ChatRequest } from '../src/core/chat-request.js';
import { createRuntime } from '../src/runtime/create-runtime.js';
import { startArbiter } from '../src/gateway/start.js';
import { startSimulator } from '../src/sim/server.js';

const DEFAULT_MAX_TOKENS = 4096;
const request: ChatRequest = { model: 'feature', messages: [{ role: 'user', content: 'Tell me everything about lighthouses' }] };

for (const provider of ['openai', 'gemini', 'anthropic'] as const) {
  test(`budget race (${provider} upstream): no max_tokens, long answers, 40 concurrent: spend stays within the budget plus one reservation`, async () => {
    const sim = await startSimulator({ port: 0, latencyScale: 0, seed: 3 });
    const baseUrl = provider === 'openai' ? `${sim.url}/v1` : sim.url;
    const deployments = [{ name: 'sim-swift', provider, upstreamModel: 'sim-swift', baseUrl, apiKey: 'sk-test', catalogModel: 'sim-swift', simulated: true }];
    const base = { server: { port: 0, logLevel: 'silent' }, storage: { url: 'sqlite::memory:' }, deployments };
    // The reservation, from the same runtime code the gateway uses: the prompt and the default allowance.
    const probe = await createRuntime({ config: parseConfig(base, {}), env: {} });
    const deployment = probe.deployments[0]!;
    const prompt = probe.estimatePromptTokens(request, deployment);
    const reservation = probe.costOf(deployment, { prompt_tokens: prompt, completion_tokens: DEFAULT_MAX_TOKENS, total_tokens: prompt + DEFAULT_MAX_TOKENS }) ?? 0;
    await probe.close();
    assert.ok(reservation > 0);
    const budgetNano = reservation * 4;
    const config = parseConfig({ ...base, routes: { feature: { candidates: ['sim-swift'], budgets: [`${(budgetNano / 1e9).toFixed(9)}usd/day`] } } }, {});
    const arbiter = await startArbiter({ config, env: {}, quiet: true });
    try {
      const results = await Promise.all(Array.from({ length: 40 }, async () => {
        const res = await fetch(`${arbiter.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-sim-output-tokens': '12000' },
          body: JSON.stringify(request),
        });
        const body = await res.json() as { usage?: { completion_tokens: number; cost_usd?: number } };
        return { status: res.status, usage: body.usage };
      }));
      const served = results.filter((r) => r.status === 200);
      assert.ok(served.length >= 1, `statuses ${JSON.stringify(results.map((r) => r.status))}`);
      assert.equal(served.length + results.filter((r) => r.status === 429).length, 40);
      // Every answer was cut at the allowance: the upstream got it as its cap.
      for (const r of served) assert.ok((r.usage?.completion_tokens ?? 0) <= DEFAULT_MAX_TOKENS, `completion ${r.usage?.completion_tokens}`);
      const spent = served.reduce((sum, r) => sum + Math.round((r.usage?.cost_usd ?? 0) * 1e9), 0);
      assert.ok(spent <= budgetNano + reservation, `spent ${spent} of ${budgetNano} (+ one reservation ${reservation})`);
    } finally {
      await arbiter.close();
      await sim.close();
    }
  });
}

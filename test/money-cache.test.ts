/**
 * A cache hit at the gateway: its own cost (zero) in usage.cost_usd and in the headers, the
 * decision headers of the deployment that gave the answer, and a streamed replay that sends
 * usage once however many choices it has. Simulator upstream, official OpenAI client.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { parseConfig } from '../src/config/load.js';
import { startArbiter, type RunningArbiter } from '../src/gateway/start.js';
import { startSimulator, type RunningSimulator } from '../src/sim/server.js';

let sim: RunningSimulator;
let arbiter: RunningArbiter;
let client: OpenAI;

before(async () => {
  sim = await startSimulator({ port: 0, latencyScale: 0, seed: 11 });
  const config = parseConfig({
    server: { port: 0, logLevel: 'silent' },
    storage: { url: 'sqlite::memory:' },
    deployments: [{ name: 'sim-swift', provider: 'openai', upstreamModel: 'sim-swift', baseUrl: `${sim.url}/v1`, apiKey: 'sk-test', catalogModel: 'sim-swift', simulated: true }],
    routes: { cached: { candidates: ['sim-swift'], cache: { enabled: true } } },
  }, {});
  arbiter = await startArbiter({ config, env: {}, quiet: true });
  client = new OpenAI({ baseURL: `${arbiter.url}/v1`, apiKey: 'local', maxRetries: 0 });
});

after(async () => {
  await arbiter?.close();
  await sim?.close();
});

type Costed = { cost_usd?: number };

test('a cache hit reports its own cost, zero, and carries the decision headers of a live answer', async () => {
  const ask = () => client.chat.completions.create({ model: 'cached', temperature: 0, messages: [{ role: 'user', content: 'Name three rivers of Europe' }] }).withResponse();
  const live = await ask();
  assert.equal(live.response.headers.get('x-arbiter-cache'), 'miss');
  const liveCost = (live.data.usage as Costed | undefined)?.cost_usd ?? 0;
  assert.ok(liveCost > 0, `live cost ${liveCost}`);
  const hit = await ask();
  assert.equal(hit.response.headers.get('x-arbiter-cache'), 'hit');
  assert.equal((hit.data.usage as Costed | undefined)?.cost_usd, 0);
  assert.equal(hit.response.headers.get('x-arbiter-cost-usd'), '0.000000000');
  assert.equal(hit.response.headers.get('x-arbiter-deployment'), 'sim-swift');
  assert.equal(hit.response.headers.get('x-arbiter-model'), live.response.headers.get('x-arbiter-model'));
  assert.equal(hit.response.headers.get('x-arbiter-route'), 'cached');
  assert.equal(hit.data.choices[0]?.message.content, live.data.choices[0]?.message.content);
  // The stored answer still says what the first call cost: a third ask is a hit at zero again.
  assert.equal(((await ask()).data.usage as Costed | undefined)?.cost_usd, 0);
});

test('a streamed replay of a two-choice answer sends usage once, at zero cost', async () => {
  const ask = async () => {
    const { data, response } = await client.chat.completions.create({ model: 'cached', temperature: 0, n: 2, stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'Describe a lighthouse' }] }).withResponse();
    const usages: Costed[] = [];
    const texts = ['', ''];
    for await (const chunk of data) {
      if (chunk.usage) usages.push(chunk.usage as Costed);
      for (const choice of chunk.choices) texts[choice.index] += choice.delta.content ?? '';
    }
    return { usages, texts, cache: response.headers.get('x-arbiter-cache') };
  };
  const live = await ask();
  assert.equal(live.cache, 'miss');
  assert.equal(live.usages.length, 1);
  const replay = await ask();
  assert.equal(replay.cache, 'hit');
  assert.equal(replay.usages.length, 1, 'usage sent once');
  assert.equal(replay.usages[0]?.cost_usd, 0);
  assert.deepEqual(replay.texts, live.texts);
});

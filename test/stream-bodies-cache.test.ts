/**
 * A streamed answer from an OpenAI-format upstream goes out chunk by chunk as the upstream
 * wrote it; the whole response is rebuilt only when something needs it. These are the things
 * that do: a route that stores bodies in the audit trail, and a route whose cache replays it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { parseConfig } from '../src/config/load.js';
import { startArbiter, type RunningArbiter } from '../src/gateway/start.js';
import { startSimulator, type RunningSimulator } from '../src/sim/server.js';
import { openStore } from '../src/store/database.js';

let sim: RunningSimulator;
let arbiter: RunningArbiter;
let client: OpenAI;
let dir: string;
let dbUrl: string;

before(async () => {
  sim = await startSimulator({ port: 0, latencyScale: 0, seed: 5 });
  dir = mkdtempSync(join(tmpdir(), 'arbiter-stream-bodies-'));
  dbUrl = `sqlite:${join(dir, 'arbiter.db')}`;
  const config = parseConfig({
    server: { port: 0, logLevel: 'silent' },
    storage: { url: dbUrl },
    deployments: [{ name: 'sim-swift', provider: 'openai', upstreamModel: 'sim-swift', baseUrl: `${sim.url}/v1`, apiKey: 'sk-test', catalogModel: 'sim-swift', simulated: true }],
    routes: { kept: { candidates: ['sim-swift'], storeBodies: true, cache: { enabled: true } } },
  }, {});
  arbiter = await startArbiter({ config, env: {}, quiet: true });
  client = new OpenAI({ baseURL: `${arbiter.url}/v1`, apiKey: 'local', maxRetries: 0 });
});

after(async () => {
  await arbiter?.close();
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function streamed(content: string): Promise<{ text: string; cache: string | null; requestId: string | null }> {
  const { data, response } = await client.chat.completions.create({ model: 'kept', temperature: 0, stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content }] }).withResponse();
  let text = '';
  for await (const chunk of data) text += chunk.choices[0]?.delta.content ?? '';
  return { text, cache: response.headers.get('x-arbiter-cache'), requestId: response.headers.get('x-request-id') };
}

test('a streamed answer is stored whole in the audit trail and replayed whole from the cache', async () => {
  const prompt = 'Tell me about lighthouses and their keepers, mail me at keeper@example.com';
  const first = await streamed(prompt);
  assert.ok(first.text.length > 20, first.text);
  assert.equal(first.cache, 'miss');
  const second = await streamed(prompt);
  assert.equal(second.cache, 'hit');
  assert.equal(second.text, first.text);

  await arbiter.close();
  const store = await openStore(dbUrl);
  try {
    const row = await store.db.selectFrom('audit_log').selectAll().where('request_id', '=', first.requestId!).executeTakeFirstOrThrow();
    const body = JSON.parse(row.response_body ?? '{}') as { choices: Array<{ message: { content: string }; finish_reason: string }> };
    assert.equal(body.choices[0]?.message.content, first.text);
    assert.equal(body.choices[0]?.finish_reason, 'stop');
    assert.match(row.prompt_body ?? '', /lighthouses/);
    assert.doesNotMatch(row.prompt_body ?? '', /keeper@example\.com/);
    assert.ok(row.completion_tokens > 0 && row.streamed === 1);
  } finally {
    await store.close();
  }
});

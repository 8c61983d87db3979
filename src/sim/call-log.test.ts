/** The simulator's call log: one line per answer served in full, with its true cost. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { startSimulator, type SimCallRecord } from './server.js';
import { findSimModel } from './slate.js';

test('call log: each served answer is one line whose cost is its usage at the model price', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sim-log-'));
  const path = join(dir, 'calls.jsonl');
  const sim = await startSimulator({ port: 0, latencyScale: 0, seed: 5, callLog: path });
  try {
    const client = new OpenAI({ baseURL: `${sim.url}/v1`, apiKey: 'x', maxRetries: 0 });
    const plain = await client.chat.completions.create({ model: 'sim-frontier', messages: [{ role: 'user', content: 'Name three rivers.' }], max_tokens: 50 }, { headers: { 'x-sim-tag': 'one' } });
    const stream = await client.chat.completions.create({ model: 'sim-swift', messages: [{ role: 'user', content: 'Name a sea.' }], stream: true, stream_options: { include_usage: true } });
    let streamed: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) streamed = chunk.usage ?? streamed;
    // A refused call (forced 500) is not served and not logged.
    await assert.rejects(client.chat.completions.create({ model: 'sim-swift', messages: [{ role: 'user', content: 'x' }] }, { headers: { 'x-sim-fault': 'error' } }));
    await sim.close();
    const lines = readFileSync(path, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as SimCallRecord);
    assert.equal(lines.length, 2);
    const [first, second] = lines;
    const frontier = findSimModel('sim-frontier');
    assert.ok(first && second && frontier && plain.usage && streamed);
    assert.equal(first.tag, 'one');
    assert.equal(first.promptTokens, plain.usage.prompt_tokens);
    assert.equal(first.completionTokens, plain.usage.completion_tokens);
    assert.equal(first.costNano, Math.round(plain.usage.prompt_tokens * frontier.price.input * 1000) + Math.round(plain.usage.completion_tokens * frontier.price.output * 1000));
    assert.equal(second.model, 'sim-swift');
    assert.equal(second.tag, null);
    assert.equal(second.completionTokens, streamed.completion_tokens);
  } finally {
    await sim.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
});

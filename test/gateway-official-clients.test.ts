/**
 * Level 3: the gateway on port 0 with the simulator upstream in each wire format (OpenAI,
 * Anthropic, Gemini), driven by the official `openai` client. If the official client parses
 * it, the wire is right; and the canonical results must agree across the three formats.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startSimulator } from '../src/sim/server.js';
import { parseConfig } from '../src/config/load.js';
import { startArbiter, type RunningArbiter } from '../src/gateway/start.js';

const formats = ['openai', 'anthropic', 'gemini'] as const;
let sim: Awaited<ReturnType<typeof startSimulator>>;
let arbiter: RunningArbiter;
let client: OpenAI;

before(async () => {
  sim = await startSimulator({ port: 0, latencyScale: 0, seed: 11 });
  const config = parseConfig({
    server: { port: 0, logLevel: 'silent' },
    storage: { url: 'sqlite::memory:' },
    deployments: [
      { name: 'via-openai', provider: 'openai', upstreamModel: 'sim-frontier', baseUrl: `${sim.url}/v1`, apiKey: 'sk-test-openai', catalogModel: 'sim-frontier', simulated: true },
      { name: 'via-anthropic', provider: 'anthropic', upstreamModel: 'sim-frontier', baseUrl: sim.url, apiKey: 'sk-ant-test', catalogModel: 'sim-frontier', simulated: true },
      { name: 'via-gemini', provider: 'gemini', upstreamModel: 'sim-frontier', baseUrl: sim.url, apiKey: 'AIza-test-key-000000000000', catalogModel: 'sim-frontier', simulated: true },
    ],
  }, {});
  arbiter = await startArbiter({ config, env: {}, quiet: true });
  client = new OpenAI({ baseURL: `${arbiter.url}/v1`, apiKey: 'unused-locally', maxRetries: 0 });
});

after(async () => {
  await arbiter?.close();
  await sim?.close();
});

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['c', 'f'] } }, required: ['city'] },
  },
};

describe('official openai client through Arbiter', () => {
  for (const format of formats) {
    const model = `via-${format}`;

    test(`${format}: plain completion parses and carries usage and cost`, async () => {
      const { data, response } = await client.chat.completions.create({
        model,
        messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Name three colours.' }],
        max_tokens: 64,
      }).withResponse();
      const choice = data.choices[0]!;
      assert.equal(data.object, 'chat.completion');
      assert.equal(typeof choice.message.content, 'string');
      assert.ok(choice.message.content!.length > 0);
      assert.ok(['stop', 'length'].includes(choice.finish_reason));
      assert.ok(data.usage!.prompt_tokens > 0);
      assert.ok(data.usage!.completion_tokens > 0);
      assert.equal(response.headers.get('x-arbiter-deployment'), model);
      assert.match(response.headers.get('x-arbiter-cost-usd') ?? '', /^\d+\.\d+$/);
    });

    test(`${format}: streaming assembles to the same text as the JSON answer`, async () => {
      const messages = [{ role: 'user' as const, content: 'Describe a lighthouse in one paragraph.' }];
      const whole = await client.chat.completions.create({ model, messages, max_tokens: 80, seed: 3 });
      const stream = await client.chat.completions.create({ model, messages, max_tokens: 80, seed: 3, stream: true, stream_options: { include_usage: true } });
      let text = '';
      let finish: string | null = null;
      let usageSeen = false;
      for await (const chunk of stream) {
        if (chunk.usage) usageSeen = true;
        for (const choice of chunk.choices) {
          text += choice.delta.content ?? '';
          finish = choice.finish_reason ?? finish;
        }
      }
      assert.equal(text, whole.choices[0]!.message.content);
      assert.equal(finish, whole.choices[0]!.finish_reason);
      assert.ok(usageSeen, 'include_usage must yield a usage chunk');
    });

    test(`${format}: forced tool call has parseable arguments`, async () => {
      const data = await client.chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'What is the weather in Lisbon?' }],
        tools: [weatherTool],
        tool_choice: { type: 'function', function: { name: 'get_weather' } },
      });
      const calls = data.choices[0]!.message.tool_calls ?? [];
      assert.ok(calls.length >= 1);
      const call = calls[0]!;
      assert.equal(call.type, 'function');
      assert.equal(call.type === 'function' ? call.function.name : '', 'get_weather');
      assert.equal(typeof JSON.parse(call.type === 'function' ? call.function.arguments : ''), 'object');
      assert.equal(data.choices[0]!.finish_reason, 'tool_calls');
    });
  }

  test('the three formats give the same canonical answer to the same request', async () => {
    const answers = await Promise.all(formats.map((format) => client.chat.completions.create({
      model: `via-${format}`,
      messages: [{ role: 'user', content: 'Write a haiku about caching.' }],
      max_tokens: 60,
      seed: 9,
    })));
    const texts = answers.map((answer) => answer.choices[0]!.message.content);
    assert.equal(texts[1], texts[0]);
    assert.equal(texts[2], texts[0]);
  });
});

describe('errors reach the official client in OpenAI format', () => {
  test('unknown model is a 404 NotFoundError', async () => {
    await assert.rejects(client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.NotFoundError);
      return true;
    });
  });

  test('an invalid field is a 400 naming the field', async () => {
    await assert.rejects(client.chat.completions.create({ model: 'via-openai', messages: [{ role: 'user', content: 'hi' }], temperature: 7 }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.BadRequestError);
      assert.equal((error as InstanceType<typeof OpenAI.BadRequestError>).param, 'temperature');
      return true;
    });
  });

  test('an upstream 429 keeps its status and Retry-After', async () => {
    const { response } = await client.chat.completions.create(
      { model: 'via-openai', messages: [{ role: 'user', content: 'hi' }] },
      { headers: { 'x-sim-fault': '429' } },
    ).withResponse().catch((error: unknown) => ({ response: (error as { headers?: Headers; status?: number }) }));
    const error = response as unknown as { status?: number; headers?: Headers };
    assert.equal(error.status, 429);
    assert.ok(error.headers?.get('retry-after'));
  });
});

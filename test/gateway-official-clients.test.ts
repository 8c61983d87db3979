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
import { deploymentsPerFormat } from './support/format-deployments.js';
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
    deployments: deploymentsPerFormat(sim.url),
  }, {});
  arbiter = await startArbiter({ config, env: {}, quiet: true });
  client = new OpenAI({ baseURL: `${arbiter.url}/v1`, apiKey: 'unused-locally', maxRetries: 0 });
});

after(async () => {
  await arbiter?.close();
  await sim?.close();
});

const timeTool = {
  type: 'function' as const,
  function: {
    name: 'get_local_time',
    description: 'Local time in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

const answerSchema = {
  name: 'city_weather',
  strict: true,
  schema: {
    type: 'object',
    properties: { city: { type: 'string' }, temperature_c: { type: 'number' }, sunny: { type: 'boolean' } },
    required: ['city', 'temperature_c', 'sunny'],
    additionalProperties: false,
  },
};

describe('reasoning effort through every upstream format', () => {
  test('reasoning_effort is accepted by each format behind the gateway (thinking on Anthropic and Gemini)', async () => {
    for (const model of ['via-openai', 'via-anthropic', 'via-gemini']) {
      const answer = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Think, then say hi.' }], max_tokens: 50, reasoning_effort: 'low' });
      assert.equal(answer.object, 'chat.completion', model);
      assert.ok((answer.choices[0]?.message.content ?? '').length > 0, model);
    }
  });
});

describe('embeddings through the gateway', () => {
  test('an OpenAI embeddings request served by Gemini (batchEmbedContents) comes back in OpenAI shape with counted usage', async () => {
    const result = await client.embeddings.create({ model: 'via-gemini', input: ['lighthouses', 'the sea'], dimensions: 64 });
    assert.equal(result.object, 'list');
    assert.equal(result.data.length, 2);
    assert.deepEqual(result.data.map((entry) => entry.index), [0, 1]);
    assert.equal(result.data[0]?.embedding.length, 64);
    // Gemini reports no usage for embeddings; the gateway counts the input.
    assert.ok(result.usage.prompt_tokens > 0);
    assert.equal(result.usage.total_tokens, result.usage.prompt_tokens);
    const same = await client.embeddings.create({ model: 'via-openai', input: 'lighthouses', dimensions: 64 });
    assert.equal(same.data[0]?.embedding.length, 64);
  });

  test('token-id input to a Gemini deployment is a 400 naming input', async () => {
    await assert.rejects(client.embeddings.create({ model: 'via-gemini', input: [[1, 2, 3]] }), (error: unknown) => {
      const apiError = error as { status?: number; param?: string | null };
      return apiError.status === 400 && apiError.param === 'input';
    });
  });
});

const parallelPrompt = [{ role: 'user' as const, content: 'What is the weather and the local time in Lisbon?' }];

type Call = { name: string; args: unknown };
function callsOf(message: OpenAI.Chat.Completions.ChatCompletionMessage): Call[] {
  return (message.tool_calls ?? []).map((call) => {
    assert.equal(call.type, 'function');
    return call.type === 'function' ? { name: call.function.name, args: JSON.parse(call.function.arguments) } : { name: '', args: null };
  });
}

/** Collects a stream the way a client would: text, tool calls by index, finish, usage. */
async function drain(stream: AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>) {
  let text = '';
  let finish: string | null = null;
  let usage: OpenAI.CompletionUsage | undefined;
  const calls = new Map<number, { id: string; name: string; arguments: string }>();
  for await (const chunk of stream) {
    if (chunk.usage) usage = chunk.usage;
    for (const choice of chunk.choices) {
      text += choice.delta.content ?? '';
      finish = choice.finish_reason ?? finish;
      for (const call of choice.delta.tool_calls ?? []) {
        const entry = calls.get(call.index) ?? { id: '', name: '', arguments: '' };
        entry.id ||= call.id ?? '';
        entry.name += call.function?.name ?? '';
        entry.arguments += call.function?.arguments ?? '';
        calls.set(call.index, entry);
      }
    }
  }
  const ordered = [...calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call);
  return { text, finish, usage, calls: ordered.map((call) => ({ name: call.name, args: JSON.parse(call.arguments) as unknown })), ids: ordered.map((call) => call.id) };
}

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

  for (const format of formats) {
    const model = `via-${format}`;

    test(`${format}: a streamed tool call assembles to the JSON answer's call`, async () => {
      const body = { model, messages: [{ role: 'user' as const, content: 'What is the weather in Lisbon?' }], tools: [weatherTool], tool_choice: { type: 'function' as const, function: { name: 'get_weather' } } };
      const whole = await client.chat.completions.create(body);
      const streamed = await drain(await client.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } }));
      assert.deepEqual(streamed.calls, callsOf(whole.choices[0]!.message));
      assert.equal(streamed.finish, 'tool_calls');
      assert.ok(streamed.ids.every((id) => id.length > 0));
      assert.ok((streamed.usage?.completion_tokens ?? 0) > 0);
    });

    test(`${format}: parallel tool calls, JSON and streamed; parallel_tool_calls false gives one`, async () => {
      const body = { model, messages: parallelPrompt, tools: [weatherTool, timeTool] };
      const whole = await client.chat.completions.create(body);
      const calls = callsOf(whole.choices[0]!.message);
      assert.deepEqual(calls.map((call) => call.name), ['get_weather', 'get_local_time']);
      assert.equal(whole.choices[0]!.finish_reason, 'tool_calls');
      assert.equal(new Set(whole.choices[0]!.message.tool_calls!.map((call) => call.id)).size, 2, 'call ids are distinct');
      const streamed = await drain(await client.chat.completions.create({ ...body, stream: true }));
      assert.deepEqual(streamed.calls, calls);
      assert.equal(new Set(streamed.ids).size, 2);
      if (format !== 'gemini') { // Gemini has no switch to turn parallel calls off
        const single = await client.chat.completions.create({ ...body, parallel_tool_calls: false });
        assert.equal(single.choices[0]!.message.tool_calls?.length, 1);
      }
    });

    test(`${format}: json_schema answers parse and follow the schema, JSON and streamed`, async () => {
      const body = { model, messages: [{ role: 'user' as const, content: 'Report the weather in Lisbon as JSON.' }], response_format: { type: 'json_schema' as const, json_schema: answerSchema } };
      const whole = await client.chat.completions.create(body);
      const choice = whole.choices[0]!;
      assert.equal(choice.finish_reason, 'stop');
      assert.equal(choice.message.tool_calls, undefined, 'the JSON answer is content, not a tool call');
      const value = JSON.parse(choice.message.content ?? '') as Record<string, unknown>;
      assert.deepEqual(Object.keys(value).sort(), ['city', 'sunny', 'temperature_c']);
      assert.equal(typeof value.city, 'string');
      assert.equal(typeof value.temperature_c, 'number');
      assert.equal(typeof value.sunny, 'boolean');
      const streamed = await drain(await client.chat.completions.create({ ...body, stream: true }));
      assert.deepEqual(JSON.parse(streamed.text), value);
      assert.equal(streamed.finish, 'stop');
    });

    test(`${format}: an error event mid-stream reaches the client as an error after the first text`, async () => {
      const stream = await client.chat.completions.create(
        { model, messages: [{ role: 'user', content: 'Describe a lighthouse in one paragraph.' }], stream: true },
        { headers: { 'x-sim-fault': 'stream-error' } },
      );
      let text = '';
      await assert.rejects((async () => {
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      })(), (error: unknown) => {
        assert.ok(error instanceof OpenAI.APIError, String(error));
        assert.match(error.message, /overloaded|server had an error/i);
        return true;
      });
      assert.ok(text.length > 0, 'text before the error was delivered');
    });
  }

  test('the three formats agree on parallel calls and on json_schema answers', async () => {
    const calls = await Promise.all(formats.map(async (format) => callsOf((await client.chat.completions.create({ model: `via-${format}`, messages: parallelPrompt, tools: [weatherTool, timeTool] })).choices[0]!.message)));
    assert.deepEqual(calls[1], calls[0]);
    assert.deepEqual(calls[2], calls[0]);
    const json = await Promise.all(formats.map(async (format) => (await client.chat.completions.create({ model: `via-${format}`, messages: [{ role: 'user', content: 'Report the weather in Lisbon as JSON.' }], response_format: { type: 'json_schema', json_schema: answerSchema } })).choices[0]!.message.content));
    assert.equal(json[1], json[0]);
    assert.equal(json[2], json[0]);
  });

  test('n alternatives arrive as n choices from OpenAI and Gemini upstreams, JSON and streamed alike; Anthropic refuses n > 1', async () => {
    const messages = [{ role: 'user' as const, content: 'Describe a harbour at dawn.' }];
    const [fromOpenAi, fromGemini] = await Promise.all(['via-openai', 'via-gemini'].map((model) => client.chat.completions.create({ model, messages, max_tokens: 40, n: 3 })));
    for (const answer of [fromOpenAi!, fromGemini!]) assert.deepEqual(answer.choices.map((choice) => choice.index), [0, 1, 2]);
    assert.deepEqual(fromGemini!.choices.map((choice) => choice.message.content), fromOpenAi!.choices.map((choice) => choice.message.content));
    assert.equal(fromGemini!.usage?.completion_tokens, fromOpenAi!.usage?.completion_tokens);
    for (const model of ['via-openai', 'via-gemini']) {
      const texts = ['', '', ''];
      for await (const chunk of await client.chat.completions.create({ model, messages, max_tokens: 40, n: 3, stream: true })) {
        for (const choice of chunk.choices) texts[choice.index] += choice.delta.content ?? '';
      }
      assert.deepEqual(texts, fromOpenAi!.choices.map((choice) => choice.message.content), model);
    }
    await assert.rejects(client.chat.completions.create({ model: 'via-anthropic', messages, n: 2 }), (error: unknown) => error instanceof OpenAI.BadRequestError && error.param === 'n');
  });

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

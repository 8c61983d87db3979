/**
 * Level 3: /v1/responses driven by the official `openai` client through the gateway on port
 * 0, the simulator upstream in each wire format (OpenAI, Anthropic, Gemini): create,
 * streaming, a function-calling round trip, json_schema, and stored conversations
 * (`previous_response_id`) on a route that stores bodies, refused elsewhere.
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
    routes: {
      kept: { candidates: ['via-anthropic'], storeBodies: true },
      unkept: { candidates: ['via-openai'] },
    },
  }, {});
  arbiter = await startArbiter({ config, env: {}, quiet: true });
  client = new OpenAI({ baseURL: `${arbiter.url}/v1`, apiKey: 'unused-locally', maxRetries: 0 });
});

after(async () => {
  await arbiter?.close();
  await sim?.close();
});

const weatherTool: OpenAI.Responses.FunctionTool = {
  type: 'function',
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['c', 'f'] } }, required: ['city'], additionalProperties: false },
  strict: false,
};

const answerSchema = {
  type: 'object',
  properties: { city: { type: 'string' }, temperature_c: { type: 'number' }, sunny: { type: 'boolean' } },
  required: ['city', 'temperature_c', 'sunny'],
  additionalProperties: false,
};

function calls(response: OpenAI.Responses.Response): OpenAI.Responses.ResponseFunctionToolCall[] {
  return response.output.filter((item): item is OpenAI.Responses.ResponseFunctionToolCall => item.type === 'function_call');
}

describe('official openai client through /v1/responses', () => {
  for (const format of formats) {
    const model = `via-${format}`;

    test(`${format}: responses.create with instructions answers what chat completions answers, with usage`, async () => {
      const { data, response } = await client.responses.create({ model, instructions: 'Be brief.', input: 'Write a haiku about caching.', max_output_tokens: 60 }).withResponse();
      assert.equal(data.object, 'response');
      assert.match(data.id, /^resp_/);
      assert.ok(data.status === 'completed' || data.status === 'incomplete');
      assert.ok(data.output_text.length > 0);
      assert.ok((data.usage?.input_tokens ?? 0) > 0);
      assert.ok((data.usage?.output_tokens ?? 0) > 0);
      assert.equal(data.usage?.total_tokens, (data.usage?.input_tokens ?? 0) + (data.usage?.output_tokens ?? 0));
      assert.equal(response.headers.get('x-arbiter-deployment'), model);
      const chat = await client.chat.completions.create({ model, max_completion_tokens: 60, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Write a haiku about caching.' }] });
      assert.equal(data.output_text, chat.choices[0]!.message.content);
    });

    test(`${format}: a stream sends the Responses events and its final response equals the JSON answer`, async () => {
      const body = { model, input: [{ role: 'user' as const, content: 'Describe a lighthouse in one paragraph.' }], max_output_tokens: 80 };
      const whole = await client.responses.create(body);
      const types: string[] = [];
      let deltas = '';
      const sequence: number[] = [];
      let completed: OpenAI.Responses.Response | undefined;
      for await (const event of await client.responses.create({ ...body, stream: true })) {
        types.push(event.type);
        sequence.push(event.sequence_number);
        if (event.type === 'response.output_text.delta') deltas += event.delta;
        if (event.type === 'response.completed' || event.type === 'response.incomplete') completed = event.response;
      }
      assert.deepEqual(types.slice(0, 4), ['response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added']);
      assert.deepEqual(types.slice(-4), ['response.output_text.done', 'response.content_part.done', 'response.output_item.done', whole.status === 'completed' ? 'response.completed' : 'response.incomplete']);
      assert.deepEqual(sequence, sequence.map((_, index) => index));
      assert.equal(deltas, whole.output_text);
      assert.equal(completed?.usage?.output_tokens, whole.usage?.output_tokens);
      const final = await client.responses.stream(body).finalResponse();
      assert.equal(final.output_text, whole.output_text);
    });

    test(`${format}: a function-calling round trip, JSON and streamed`, async () => {
      const ask = { role: 'user' as const, content: 'What is the weather in Lisbon?' };
      const first = await client.responses.create({ model, input: [ask], tools: [weatherTool], tool_choice: { type: 'function', name: 'get_weather' } });
      const [call] = calls(first);
      assert.ok(call, 'a function_call item');
      assert.equal(call.name, 'get_weather');
      assert.equal(typeof (JSON.parse(call.arguments) as { city?: unknown }).city, 'string');
      const streamed = await client.responses.stream({ model, input: [ask], tools: [weatherTool], tool_choice: { type: 'function', name: 'get_weather' } }).finalResponse();
      assert.deepEqual(calls(streamed).map((item) => [item.name, JSON.parse(item.arguments)]), [[call.name, JSON.parse(call.arguments)]]);
      const second = await client.responses.create({
        model, tools: [weatherTool],
        input: [ask, { type: 'function_call', call_id: call.call_id, name: call.name, arguments: call.arguments }, { type: 'function_call_output', call_id: call.call_id, output: '18°C and sunny' }],
      });
      assert.equal(calls(second).length, 0);
      assert.ok(second.output_text.length > 0);
    });

    test(`${format}: text.format json_schema answers parse and follow the schema`, async () => {
      const answer = await client.responses.create({ model, input: 'Report the weather in Lisbon as JSON.', text: { format: { type: 'json_schema', name: 'city_weather', schema: answerSchema, strict: true } } });
      const value = JSON.parse(answer.output_text) as Record<string, unknown>;
      assert.deepEqual(Object.keys(value).sort(), ['city', 'sunny', 'temperature_c']);
      assert.equal(typeof value.temperature_c, 'number');
      assert.equal(calls(answer).length, 0, 'the JSON answer is text, not a function call');
    });

    test(`${format}: reasoning.effort is accepted`, async () => {
      const answer = await client.responses.create({ model, input: 'Think, then say hi.', reasoning: { effort: 'low' }, max_output_tokens: 200 });
      assert.ok(answer.output_text.length > 0);
    });
  }

  test('the three formats agree on the function call and on json_schema answers', async () => {
    const results = await Promise.all(formats.map((format) => client.responses.create({ model: `via-${format}`, input: 'What is the weather in Lisbon?', tools: [weatherTool], tool_choice: { type: 'function', name: 'get_weather' } })));
    const seen = results.map((result) => calls(result).map((item) => [item.name, JSON.parse(item.arguments)]));
    assert.deepEqual(seen[1], seen[0]);
    assert.deepEqual(seen[2], seen[0]);
    const json = await Promise.all(formats.map(async (format) => (await client.responses.create({ model: `via-${format}`, input: 'Report the weather in Lisbon as JSON.', text: { format: { type: 'json_schema', name: 'city_weather', schema: answerSchema, strict: true } } })).output_text));
    assert.equal(json[1], json[0]);
    assert.equal(json[2], json[0]);
  });

  test('previous_response_id continues a stored conversation on a route that stores bodies, JSON and streamed', async () => {
    const first = await client.responses.create({ model: 'kept', input: 'What is the weather in Lisbon?', tools: [weatherTool], tool_choice: { type: 'function', name: 'get_weather' } });
    assert.equal(first.store, true);
    const [call] = calls(first);
    assert.ok(call);
    // Only the tool output is sent: the call it answers comes from the stored turn (a tool
    // message without its call would be refused by every upstream).
    const second = await client.responses.create({ model: 'kept', previous_response_id: first.id, tools: [weatherTool], input: [{ type: 'function_call_output', call_id: call.call_id, output: '18°C and sunny' }] });
    assert.equal(second.previous_response_id, first.id);
    assert.ok(second.output_text.length > 0);
    assert.equal(calls(second).length, 0);
    const third = await client.responses.stream({ model: 'kept', previous_response_id: second.id, input: 'And tomorrow?' }).finalResponse();
    assert.ok(third.output_text.length > 0);
    const fresh = await client.responses.create({ model: 'kept', input: 'And tomorrow?', store: false });
    assert.ok((third.usage?.input_tokens ?? 0) > (fresh.usage?.input_tokens ?? 0) + 20, 'the history is in the prompt');
  });

  test('store and previous_response_id are refused with a 400 where bodies are not stored, or the id is unknown', async () => {
    await assert.rejects(client.responses.create({ model: 'unkept', input: 'hi', store: true }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.BadRequestError, String(error));
      assert.equal(error.param, 'store');
      return true;
    });
    await assert.rejects(client.responses.create({ model: 'via-openai', input: 'hi', previous_response_id: 'resp_nope' }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.BadRequestError, String(error));
      assert.equal(error.param, 'previous_response_id');
      return true;
    });
    await assert.rejects(client.responses.create({ model: 'kept', input: 'hi', previous_response_id: 'resp_nope' }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.BadRequestError, String(error));
      assert.match(error.message, /not found/);
      return true;
    });
    // Not sent (the SDK's default): nothing is kept and nothing is refused.
    const plain = await client.responses.create({ model: 'unkept', input: 'hi' });
    assert.equal(plain.store, false);
  });

  test('an error mid-stream is an error event and response.failed', async () => {
    const types: string[] = [];
    let text = '';
    for await (const event of await client.responses.create({ model: 'via-openai', input: 'Describe a lighthouse in one paragraph.', stream: true }, { headers: { 'x-sim-fault': 'stream-error' } })) {
      types.push(event.type);
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (event.type === 'response.failed') assert.equal(event.response.status, 'failed');
    }
    assert.ok(text.length > 0, 'text before the error was delivered');
    assert.deepEqual(types.slice(-2), ['error', 'response.failed']);
  });

  test('built-in tools are refused naming the tool', async () => {
    await assert.rejects(client.responses.create({ model: 'via-openai', input: 'hi', tools: [{ type: 'web_search' }] }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.BadRequestError, String(error));
      assert.equal(error.param, 'tools[0].type');
      return true;
    });
  });
});

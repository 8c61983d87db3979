/**
 * Level 3: /v1/messages and /v1/messages/count_tokens driven by the official
 * `@anthropic-ai/sdk` through the gateway on port 0, the simulator upstream in each wire
 * format (OpenAI, Anthropic, Gemini). If the SDK parses it, the wire is right; the canonical
 * results must agree across the three formats and with chat completions.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startSimulator } from '../src/sim/server.js';
import { parseConfig } from '../src/config/load.js';
import { deploymentsPerFormat } from './support/format-deployments.js';
import { startArbiter, type RunningArbiter } from '../src/gateway/start.js';

const formats = ['openai', 'anthropic', 'gemini'] as const;
let sim: Awaited<ReturnType<typeof startSimulator>>;
let arbiter: RunningArbiter;
let anthropic: Anthropic;
let openai: OpenAI;

before(async () => {
  sim = await startSimulator({ port: 0, latencyScale: 0, seed: 11 });
  const config = parseConfig({
    server: { port: 0, logLevel: 'silent' },
    storage: { url: 'sqlite::memory:' },
    deployments: deploymentsPerFormat(sim.url),
  }, {});
  arbiter = await startArbiter({ config, env: {}, quiet: true });
  // Claude Code's setup: ANTHROPIC_BASE_URL is the gateway, the key goes as x-api-key.
  anthropic = new Anthropic({ baseURL: arbiter.url, apiKey: 'unused-locally', maxRetries: 0 });
  openai = new OpenAI({ baseURL: `${arbiter.url}/v1`, apiKey: 'unused-locally', maxRetries: 0 });
});

after(async () => {
  await arbiter?.close();
  await sim?.close();
});

const weatherTool: Anthropic.Tool = {
  name: 'get_weather',
  description: 'Current weather for a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['c', 'f'] } }, required: ['city'] },
};

function textOf(message: Anthropic.Message): string {
  return message.content.map((block) => block.type === 'text' ? block.text : '').join('');
}

describe('official anthropic SDK through /v1/messages', () => {
  for (const format of formats) {
    const model = `via-${format}`;

    test(`${format}: a plain message parses, with usage, and says what chat completions says`, async () => {
      const { data, response } = await anthropic.messages.create({
        model, max_tokens: 60, system: 'Be brief.', messages: [{ role: 'user', content: 'Write a haiku about caching.' }],
      }).withResponse();
      assert.equal(data.type, 'message');
      assert.equal(data.role, 'assistant');
      assert.match(data.id, /^msg_/);
      assert.equal(data.content[0]?.type, 'text');
      assert.ok(textOf(data).length > 0);
      assert.ok(data.stop_reason === 'end_turn' || data.stop_reason === 'max_tokens');
      assert.ok(data.usage.input_tokens > 0);
      assert.ok(data.usage.output_tokens > 0);
      assert.equal(response.headers.get('x-arbiter-deployment'), model);
      const chat = await openai.chat.completions.create({ model, max_tokens: 60, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Write a haiku about caching.' }] });
      assert.equal(textOf(data), chat.choices[0]!.message.content);
      assert.equal(data.usage.output_tokens, chat.usage!.completion_tokens);
    });

    test(`${format}: messages.stream() sends Anthropic's event sequence and its final message equals the JSON answer`, async () => {
      const body = { model, max_tokens: 80, messages: [{ role: 'user' as const, content: 'Describe a lighthouse in one paragraph.' }] };
      const whole = await anthropic.messages.create(body);
      const stream = anthropic.messages.stream(body);
      const types: string[] = [];
      stream.on('streamEvent', (event) => types.push(event.type));
      const final = await stream.finalMessage();
      assert.equal(textOf(final), textOf(whole));
      assert.equal(final.stop_reason, whole.stop_reason);
      assert.equal(final.usage.output_tokens, whole.usage.output_tokens);
      assert.equal(final.usage.input_tokens, whole.usage.input_tokens);
      assert.equal(types[0], 'message_start');
      assert.equal(types[1], 'content_block_start');
      assert.ok(types.slice(2, -3).every((type) => type === 'content_block_delta'), types.join(','));
      assert.deepEqual(types.slice(-3), ['content_block_stop', 'message_delta', 'message_stop']);
    });

    test(`${format}: a tool-use round trip, JSON and streamed`, async () => {
      const ask = { role: 'user' as const, content: 'What is the weather in Lisbon?' };
      const first = await anthropic.messages.create({ model, max_tokens: 200, tools: [weatherTool], tool_choice: { type: 'tool', name: 'get_weather' }, messages: [ask] });
      assert.equal(first.stop_reason, 'tool_use');
      const use = first.content.find((block): block is Anthropic.ToolUseBlock => block.type === 'tool_use');
      assert.ok(use, 'a tool_use block');
      assert.equal(use.name, 'get_weather');
      assert.equal(typeof (use.input as { city?: unknown }).city, 'string');
      const streamed = await anthropic.messages.stream({ model, max_tokens: 200, tools: [weatherTool], tool_choice: { type: 'tool', name: 'get_weather' }, messages: [ask] }).finalMessage();
      const streamedUse = streamed.content.find((block): block is Anthropic.ToolUseBlock => block.type === 'tool_use');
      assert.deepEqual(streamedUse?.input, use.input);
      assert.equal(streamed.stop_reason, 'tool_use');
      const second = await anthropic.messages.create({
        model, max_tokens: 100, tools: [weatherTool],
        messages: [ask, { role: 'assistant', content: first.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: '18°C and sunny' }] }],
      });
      assert.notEqual(second.stop_reason, 'tool_use');
      assert.ok(textOf(second).length > 0);
    });

    test(`${format}: thinking is accepted, and a history with signed thinking blocks goes through`, async () => {
      const answer = await anthropic.messages.create({
        model, max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 2048 },
        messages: [
          { role: 'user', content: 'What is the weather in Lisbon?' },
          { role: 'assistant', content: [
            { type: 'thinking', thinking: 'The user wants the weather; call the tool.', signature: 'EqQBCkgIARABGAIiQG0x' },
            { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix' },
            { type: 'tool_use', id: 'toolu_01', name: 'get_weather', input: { city: 'Lisbon' } },
          ] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01', content: '18°C and sunny' }] },
        ],
        tools: [weatherTool],
      });
      assert.equal(answer.type, 'message');
      assert.ok(textOf(answer).length > 0);
    });

    test(`${format}: count_tokens counts the conversation, and more text counts more`, async () => {
      const short = await anthropic.messages.countTokens({ model, messages: [{ role: 'user', content: 'Hi.' }] });
      const long = await anthropic.messages.countTokens({ model, system: 'You are a careful assistant.', messages: [{ role: 'user', content: 'Describe a lighthouse at night in great detail, with the sea and the rocks.' }], tools: [weatherTool] });
      assert.ok(short.input_tokens > 0);
      assert.ok(long.input_tokens > short.input_tokens + 10);
    });
  }

  test('the three formats agree on the tool call and on the text', async () => {
    const answers = await Promise.all(formats.map((format) => anthropic.messages.create({ model: `via-${format}`, max_tokens: 200, tools: [weatherTool], tool_choice: { type: 'tool', name: 'get_weather' }, messages: [{ role: 'user', content: 'What is the weather in Lisbon?' }] })));
    const inputs = answers.map((answer) => answer.content.filter((block) => block.type === 'tool_use').map((block) => block.type === 'tool_use' ? [block.name, block.input] : []));
    assert.deepEqual(inputs[1], inputs[0]);
    assert.deepEqual(inputs[2], inputs[0]);
  });

  test('errors come back in Anthropic\'s shape: unknown model 404, missing max_tokens 400', async () => {
    await assert.rejects(anthropic.messages.create({ model: 'no-such-model', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => {
      assert.ok(error instanceof Anthropic.NotFoundError, String(error));
      assert.equal((error.error as { type?: string }).type, 'error');
      assert.equal((error.error as { error?: { type?: string } }).error?.type, 'not_found_error');
      return true;
    });
    await assert.rejects(anthropic.messages.create({ model: 'via-openai', messages: [{ role: 'user', content: 'hi' }] } as unknown as Anthropic.MessageCreateParamsNonStreaming), (error: unknown) => {
      assert.ok(error instanceof Anthropic.BadRequestError, String(error));
      assert.equal((error.error as { error?: { type?: string } }).error?.type, 'invalid_request_error');
      assert.match(error.message, /max_tokens/);
      return true;
    });
  });

  test('an error mid-stream is an Anthropic error event the SDK raises', async () => {
    const stream = anthropic.messages.stream({ model: 'via-openai', max_tokens: 80, messages: [{ role: 'user', content: 'Describe a lighthouse in one paragraph.' }] }, { headers: { 'x-sim-fault': 'stream-error' } });
    let text = '';
    stream.on('text', (delta) => { text += delta; });
    await assert.rejects(stream.finalMessage(), (error: unknown) => {
      assert.ok(error instanceof Anthropic.APIError, String(error));
      return true;
    });
    assert.ok(text.length > 0, 'text before the error was delivered');
  });
});

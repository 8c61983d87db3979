import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseChatRequest } from '../../core/chat-request.js';
import { ArbiterError } from '../../core/errors.js';
import { assemble, collectChunks, fixtureEvents, fixtureJson, iterate } from '../__fixtures__/read.js';
import { anthropicStreamError, mapAnthropicErrorType, parseAnthropicError } from './errors.js';
import { mapAnthropicStopReason } from './finish-reason.js';
import { toAnthropicRequest } from './request.js';
import { fromAnthropicResponse } from './response.js';
import { mapAnthropicStream } from './stream.js';
import { mapAnthropicUsage } from './usage.js';

type Blocks = Array<{ role: string; content: Array<Record<string, unknown>> }>;
const request = (body: Record<string, unknown>) => parseChatRequest({ model: 'm', messages: [{ role: 'user', content: 'hi' }], ...body });

describe('anthropic stop reasons', () => {
  const table = [
    ['end_turn', 'stop'], ['stop_sequence', 'stop'], ['pause_turn', 'stop'], ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'], ['tool_use', 'tool_calls'], ['refusal', 'content_filter'], [null, 'stop'], ['some_future_reason', 'stop'],
  ] as const;
  for (const [raw, unified] of table) test(`${raw} → ${unified}`, () => assert.equal(mapAnthropicStopReason(raw), unified));

  test('the raw stop reason is kept beside the unified one', () => {
    const response = fromAnthropicResponse({ id: 'm', model: 'c', content: [{ type: 'text', text: 'I cannot help with that.' }], stop_reason: 'refusal', usage: { input_tokens: 3, output_tokens: 5 } }, false);
    assert.equal(response.choices[0]?.finish_reason, 'content_filter');
    assert.equal(response.choices[0]?.native_finish_reason, 'refusal');
  });
});

describe('anthropic usage', () => {
  test('cache writes and reads are inside prompt_tokens, reads are cached_tokens', () => {
    const response = fromAnthropicResponse(fixtureJson('anthropic-text-cached.json'), false);
    assert.equal(response.usage?.prompt_tokens, 21 + 188086);
    assert.equal(response.usage?.prompt_tokens_details?.cached_tokens, 0);
    assert.equal(response.usage?.prompt_tokens_details?.cache_creation_tokens, 188086);
    assert.equal(response.usage?.total_tokens, 21 + 188086 + 393);
    assert.equal(response.choices[0]?.finish_reason, 'stop');
    assert.equal(response.choices[0]?.native_finish_reason, 'end_turn');
  });

  test('thinking tokens are reasoning tokens', () => {
    const usage = mapAnthropicUsage({ input_tokens: 10, output_tokens: 50, output_tokens_details: { thinking_tokens: 40 } });
    assert.equal(usage.completion_tokens, 50);
    assert.equal(usage.completion_tokens_details?.reasoning_tokens, 40);
  });

  test('a message_delta with null input counts keeps message_start\'s; thinking streams as reasoning', async () => {
    const chunks = await collectChunks(mapAnthropicStream(iterate(fixtureEvents('anthropic-thinking.chunks.txt')), false));
    const usage = chunks.find((chunk) => chunk.usage)?.usage;
    assert.equal(usage?.prompt_tokens, 36 + 1800);
    assert.equal(usage?.prompt_tokens_details?.cached_tokens, 1800);
    assert.equal(usage?.completion_tokens, 112);
    assert.equal(usage?.completion_tokens_details?.reasoning_tokens, 96);
    const response = assemble(chunks);
    assert.match(response.choices[0]?.message.reasoning_content ?? '', /^Let me solve this step by step:\n\n1\. First break down 27 \* 453\n2\. 453/);
    assert.equal(response.choices[0]?.message.content, '27 * 453 = 12,231');
  });
});

describe('anthropic errors', () => {
  test('an overloaded_error event mid-stream is a retryable 503 after the text so far', async () => {
    const seen: string[] = [];
    await assert.rejects((async () => {
      for await (const chunk of mapAnthropicStream(iterate(fixtureEvents('anthropic-overloaded.chunks.txt')), false)) seen.push(chunk.choices[0]?.delta.content ?? '');
    })(), (error: unknown) => {
      assert.ok(error instanceof ArbiterError);
      assert.equal(error.code, 'upstream_unavailable');
      assert.equal(error.status, 503);
      assert.equal(error.retryable, true);
      assert.equal(error.message, 'Overloaded');
      return true;
    });
    assert.equal(seen.join(''), 'Hello');
  });

  test('an invalid_request_error event is a 400 not worth retrying', () => {
    const error = anthropicStreamError({ type: 'invalid_request_error', message: 'prompt is too long' });
    assert.equal(error.status, 400);
    assert.equal(error.retryable, false);
  });

  test('every documented error type has its status', () => {
    const table = { invalid_request_error: 400, authentication_error: 401, billing_error: 402, permission_error: 403, not_found_error: 404, request_too_large: 413, rate_limit_error: 429, api_error: 502, timeout_error: 504, overloaded_error: 503 };
    for (const [type, status] of Object.entries(table)) assert.equal(mapAnthropicErrorType(type).status, status, type);
  });

  test('a 429 for a spent monthly limit is not retryable; an overloaded body keeps its message', () => {
    assert.equal(parseAnthropicError(fixtureJson('anthropic-error-spend-limit.json'))?.retryable, false);
    assert.deepEqual(parseAnthropicError(fixtureJson('anthropic-error-overloaded.json')), { message: 'Overloaded', type: 'overloaded_error' });
  });
});

describe('anthropic request', () => {
  test('images as base64 and URL sources, PDFs as documents, empty text left out', () => {
    const body = toAnthropicRequest(request({
      messages: [{ role: 'user', content: [
        { type: 'text', text: '' },
        { type: 'text', text: 'What is in these?' },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
        { type: 'image_url', image_url: { url: 'https://upload.wikimedia.org/a.jpg' } },
        { type: 'file', file: { filename: 'a.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' } },
      ] }],
    }), 'claude', false);
    const content = (body.messages as Blocks)[0]!.content;
    assert.deepEqual(content, [
      { type: 'text', text: 'What is in these?' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
      { type: 'image', source: { type: 'url', url: 'https://upload.wikimedia.org/a.jpg' } },
      { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' } },
    ]);
  });

  const tools = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
  const choices = [
    [{ tool_choice: 'auto' }, { type: 'auto' }],
    [{ tool_choice: 'required' }, { type: 'any' }],
    [{ tool_choice: 'none' }, { type: 'none' }],
    [{ tool_choice: { type: 'function', function: { name: 'get_weather' } } }, { type: 'tool', name: 'get_weather' }],
    [{ tool_choice: 'required', parallel_tool_calls: false }, { type: 'any', disable_parallel_tool_use: true }],
    [{ parallel_tool_calls: false }, { type: 'auto', disable_parallel_tool_use: true }],
    [{}, undefined],
  ] as const;
  for (const [fields, expected] of choices) {
    test(`tool_choice ${JSON.stringify(fields)} → ${JSON.stringify(expected)}`, () => {
      const body = toAnthropicRequest(request({ tools, ...fields }), 'claude', false);
      assert.deepEqual(body.tool_choice, expected);
      assert.deepEqual(body.tools, [{ name: 'get_weather', input_schema: tools[0]!.function.parameters }]);
    });
  }

  test('max_tokens is always sent, stop becomes stop_sequences, temperature is clamped to 1', () => {
    const plain = toAnthropicRequest(request({}), 'claude', true);
    assert.equal(plain.max_tokens, 4096);
    assert.equal(plain.stream, true);
    const tuned = toAnthropicRequest(request({ max_completion_tokens: 77, stop: 'END', temperature: 1.6, user: 'u-1' }), 'claude', false);
    assert.equal(tuned.max_tokens, 77);
    assert.deepEqual(tuned.stop_sequences, ['END']);
    assert.equal(tuned.temperature, 1);
    assert.deepEqual(tuned.metadata, { user_id: 'u-1' });
  });

  test('consecutive tool results share one user turn, in order', () => {
    const body = toAnthropicRequest(request({
      messages: [
        { role: 'user', content: 'weather in Oslo and Rome?' },
        { role: 'assistant', content: null, tool_calls: [
          { id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
          { id: 'toolu_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
        ] },
        { role: 'tool', tool_call_id: 'toolu_1', content: '3C' },
        { role: 'tool', tool_call_id: 'toolu_2', content: '18C' },
      ],
    }), 'claude', false);
    const turns = body.messages as Blocks;
    assert.deepEqual(turns.map((turn) => turn.role), ['user', 'assistant', 'user']);
    assert.deepEqual(turns[2]!.content.map((block) => block.tool_use_id), ['toolu_1', 'toolu_2']);
  });

  test('n > 1 is refused naming n, since one call gives one choice', () => {
    assert.throws(() => toAnthropicRequest(request({ n: 3 }), 'claude', false), (error: unknown) => error instanceof ArbiterError && error.param === 'n' && error.status === 400);
  });
});

describe('anthropic extended thinking from reasoning_effort', () => {
  const base = { model: 'claude', messages: [{ role: 'user', content: 'Prove it.' }], max_tokens: 1000 };

  test('an effort becomes a thinking budget on top of the answer cap, and drops what thinking refuses', () => {
    const body = toAnthropicRequest(parseChatRequest({ ...base, reasoning_effort: 'medium', temperature: 0.2, top_p: 0.9 }), 'claude', false);
    assert.deepEqual(body.thinking, { type: 'enabled', budget_tokens: 8192 });
    // Anthropic's max_tokens counts thinking: the caller's 1,000 stay for the answer.
    assert.equal(body.max_tokens, 9192);
    assert.ok((body.thinking as { budget_tokens: number }).budget_tokens >= 1024);
    assert.equal(body.temperature, undefined);
    assert.equal(body.top_p, undefined);
  });

  test('minimal, no effort, a forced tool or a JSON answer send no thinking', () => {
    assert.equal(toAnthropicRequest(parseChatRequest({ ...base, reasoning_effort: 'minimal' }), 'claude', false).thinking, undefined);
    assert.equal(toAnthropicRequest(parseChatRequest(base), 'claude', false).thinking, undefined);
    const tool = { type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: {} } } };
    const forced = toAnthropicRequest(parseChatRequest({ ...base, reasoning_effort: 'high', tools: [tool], tool_choice: 'required' }), 'claude', false);
    assert.equal(forced.thinking, undefined);
    assert.equal(forced.max_tokens, 1000);
    const json = toAnthropicRequest(parseChatRequest({ ...base, reasoning_effort: 'high', response_format: { type: 'json_object' } }), 'claude', false);
    assert.equal(json.thinking, undefined);
  });
});

describe('anthropic thinking round-trips', () => {
  const signature = 'EuYBCkQYAiJAgCs1le6/Pol5Z4/JMomVOouGrWdhYNsH3ukzUECbB6iWrSQtsQuRHJID6lWV9ROWeMX28ZQ+tSf6EcVkfw+cNBIMm8Yzv4Hvcef/nDpKGgyxf9cdxvmkVoZ4PJcaIjDhJL2zUNnHXBBrfYJ7p4BMhdCnrXVkHdCP+z3DdbYXt3g0n09NoYvLXgsoyq+GimIqEO1K';
  const redacted = 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpPkNRj2YfWXGmKDxH4mPnZ5sQ7vB9URj2pLmN3kF8/dW5hR7xJ0aP1oLs9yTcMnKVf2wRpEGjH9XZaBt4UvDcPrQ';
  const thinking = 'The user wants the current weather in Paris. I have a get_weather tool that takes a location, so I will call it with Paris.';
  const expected = [
    { type: 'reasoning.text', text: thinking, signature, format: 'anthropic-claude-v1', index: 0 },
    { type: 'reasoning.encrypted', data: redacted, format: 'anthropic-claude-v1', index: 1 },
  ];
  const weatherTool = { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { location: { type: 'string' } } } } };

  test('a JSON response keeps each thinking block\'s signature and the redacted data as reasoning_details', () => {
    const message = fromAnthropicResponse(fixtureJson('anthropic-thinking-tool-use.json'), false).choices[0]!.message;
    assert.deepEqual(message.reasoning_details, expected);
    assert.equal(message.reasoning_content, thinking);
    assert.equal(message.tool_calls?.[0]?.function.name, 'get_weather');
  });

  test('a stream gives the same details: thinking deltas and the signature_delta join by index, redacted data whole', async () => {
    const response = assemble(await collectChunks(mapAnthropicStream(iterate(fixtureEvents('anthropic-thinking-tool-use.chunks.txt')), false)));
    const message = response.choices[0]!.message;
    assert.deepEqual(message.reasoning_details, expected);
    assert.equal(message.reasoning_content, thinking);
    assert.equal(message.content, "I'll check the current weather in Paris for you.");
    assert.equal(message.tool_calls?.[0]?.function.arguments, '{"location": "Paris"}');
    const older = assemble(await collectChunks(mapAnthropicStream(iterate(fixtureEvents('anthropic-thinking.chunks.txt')), false)));
    assert.equal((older.choices[0]!.message.reasoning_details?.[0] as { signature?: string }).signature, 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds');
  });

  test('the next turn sends the blocks back first, unchanged, when thinking is on; not when it is off; never another format\'s', () => {
    const answer = fromAnthropicResponse(fixtureJson('anthropic-thinking-tool-use.json'), false).choices[0]!.message;
    const turn = (extra: Record<string, unknown>, details: unknown = answer.reasoning_details) => request({
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: answer.content, tool_calls: answer.tool_calls, reasoning_content: answer.reasoning_content, reasoning_details: details },
        { role: 'tool', tool_call_id: answer.tool_calls![0]!.id, content: '{"temperature_c":18}' },
      ],
      tools: [weatherTool],
      ...extra,
    });
    const sent = (toAnthropicRequest(turn({ reasoning_effort: 'low' }), 'claude', false).messages as Blocks)[1]!.content;
    assert.deepEqual(sent.map((block) => block.type), ['thinking', 'redacted_thinking', 'text', 'tool_use']);
    assert.deepEqual(sent[0], { type: 'thinking', thinking, signature });
    assert.deepEqual(sent[1], { type: 'redacted_thinking', data: redacted });
    // Thinking off (no effort, or a forced tool): Anthropic refuses thinking blocks in a final assistant turn then.
    for (const extra of [{}, { reasoning_effort: 'low', tool_choice: 'required' }]) {
      const plain = (toAnthropicRequest(turn(extra), 'claude', false).messages as Blocks)[1]!.content;
      assert.deepEqual(plain.map((block) => block.type), ['text', 'tool_use'], JSON.stringify(extra));
    }
    // Unsigned text, or details from another provider, cannot go to Anthropic.
    const foreign = [{ type: 'reasoning.text', text: 'no signature', format: 'anthropic-claude-v1' }, { type: 'reasoning.encrypted', data: 'abc', format: 'google-gemini-v1' }];
    const filtered = (toAnthropicRequest(turn({ reasoning_effort: 'low' }, foreign), 'claude', false).messages as Blocks)[1]!.content;
    assert.deepEqual(filtered.map((block) => block.type), ['text', 'tool_use']);
  });

  test('reasoning_details must be a list of typed objects (a 400 naming the field)', () => {
    assert.throws(() => request({ messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b', reasoning_details: 'x' }] }), (error: unknown) => error instanceof ArbiterError && error.param === 'messages[1].reasoning_details');
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatChunk, ChatResponse } from '../../../core/chat-response.js';
import { ArbiterError } from '../../../core/errors.js';
import { toAnthropicRequest } from '../../../providers/anthropic/request.js';
import { decodeCountTokensRequest, decodeMessagesRequest } from './decode-request.js';
import { toAnthropicMessage } from './encode-response.js';
import { AnthropicStreamEncoder, type EventSink } from './encode-stream.js';
import { anthropicErrorBody } from './errors.js';

/** Collects what an encoder writes, as parsed SSE events. */
class Collected implements EventSink {
  text = '';
  ended = false;
  sendFramed(events: string): undefined {
    this.text += events;
    return undefined;
  }
  endWith(events: string): void {
    this.text += events;
    this.ended = true;
  }
  events(): Array<{ event: string; data: Record<string, unknown> }> {
    return this.text.split('\n\n').filter(Boolean).map((frame) => {
      const [eventLine, dataLine] = frame.split('\n');
      assert.match(eventLine!, /^event: /);
      assert.match(dataLine!, /^data: /);
      const data = JSON.parse(dataLine!.slice(6)) as Record<string, unknown>;
      assert.equal(data.type, eventLine!.slice(7), 'the event line names the data type');
      return { event: eventLine!.slice(7), data };
    });
  }
}

const signed = { type: 'thinking' as const, thinking: 'Call the tool.', signature: 'EqQBCkgIARABGAIiQG0x' };

test('decode: cache breakpoints stay on system, parts and tools, and reach an Anthropic upstream on the same blocks', () => {
  const request = decodeMessagesRequest({
    model: 'm', max_tokens: 100,
    system: [{ type: 'text', text: 'Long shared preamble.', cache_control: { type: 'ephemeral' } }],
    tools: [{ name: 'get_weather', input_schema: { type: 'object' }, cache_control: { type: 'ephemeral', ttl: '1h' } }],
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Question', cache_control: { type: 'ephemeral' } }] }],
  });
  const upstream = toAnthropicRequest(request, 'claude', false) as { system: unknown; tools: Array<Record<string, unknown>>; messages: Array<{ content: Array<Record<string, unknown>> }> };
  assert.deepEqual(upstream.system, [{ type: 'text', text: 'Long shared preamble.', cache_control: { type: 'ephemeral' } }]);
  assert.deepEqual(upstream.tools[0]?.cache_control, { type: 'ephemeral', ttl: '1h' });
  assert.deepEqual(upstream.messages[0]?.content[0], { type: 'text', text: 'Question', cache_control: { type: 'ephemeral' } });
});

test('decode: tool results become tool messages before the rest of the user turn; signed thinking rides on the assistant message and goes back to Anthropic unchanged', () => {
  const request = decodeMessagesRequest({
    model: 'm', max_tokens: 10_000, thinking: { type: 'enabled', budget_tokens: 4000 },
    messages: [
      { role: 'user', content: 'Weather?' },
      { role: 'assistant', content: [signed, { type: 'redacted_thinking', data: 'abc' }, { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Lisbon' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'sunny' }, { type: 'text', text: 'Thanks' }] },
    ],
  });
  assert.equal(request.reasoning_effort, 'medium');
  assert.equal(request.max_tokens, 6000, 'the thinking budget is not the answer\'s');
  assert.deepEqual(request.messages.map((message) => message.role), ['user', 'assistant', 'tool', 'user']);
  const assistant = request.messages[1]!;
  assert.equal(assistant.role === 'assistant' ? assistant.tool_calls?.[0]?.function.arguments : '', '{"city":"Lisbon"}');
  assert.equal(assistant.role === 'assistant' ? assistant.reasoning_content : '', 'Call the tool.');
  const upstream = toAnthropicRequest(request, 'claude', false) as { messages: Array<{ role: string; content: Array<Record<string, unknown>> }> };
  assert.deepEqual(upstream.messages[1]?.content.slice(0, 2), [signed, { type: 'redacted_thinking', data: 'abc' }]);
  assert.equal(upstream.messages[2]?.content[0]?.type, 'tool_result');
});

test('decode: errors name the wire field; server tools and missing max_tokens are refused', () => {
  const refused = (body: unknown, param: RegExp) => assert.throws(() => decodeMessagesRequest(body), (error: unknown) => error instanceof ArbiterError && error.status === 400 && param.test(error.param ?? ''));
  refused({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }, /^max_tokens$/);
  refused({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }], tools: [{ type: 'web_search_20250305', name: 'web_search' }] }, /^tools\[0\]\.type$/);
  refused({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64' } }] }] }, /^messages\[0\]\.content/);
  refused({ model: 'm', max_tokens: 5, messages: [] }, /^messages$/);
  // count_tokens needs no max_tokens.
  assert.equal(decodeCountTokensRequest({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }).messages.length, 1);
});

const response: ChatResponse = {
  id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'gpt-x',
  choices: [{ index: 0, finish_reason: 'tool_calls', logprobs: null, message: {
    role: 'assistant', content: 'Let me check.', reasoning_content: 'unsigned reasoning',
    tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Lisbon"}' } }],
  } }],
  usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120, prompt_tokens_details: { cached_tokens: 60, cache_creation_tokens: 10 } },
};

test('encode: thinking, text and tool_use blocks in Claude\'s order, the stop reason mapped, usage split into uncached, read and written', () => {
  const message = toAnthropicMessage(response);
  assert.equal(message.id, 'msg_chatcmpl-1');
  assert.deepEqual(message.content, [
    { type: 'thinking', thinking: 'unsigned reasoning', signature: '' },
    { type: 'text', text: 'Let me check.', citations: null },
    { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Lisbon' } },
  ]);
  assert.equal(message.stop_reason, 'tool_use');
  assert.deepEqual(message.usage, { input_tokens: 30, output_tokens: 20, cache_creation_input_tokens: 10, cache_read_input_tokens: 60 });
  const signedResponse: ChatResponse = { ...response, choices: [{ ...response.choices[0]!, finish_reason: 'stop', native_finish_reason: 'stop_sequence', message: { role: 'assistant', content: 'x', thinking_blocks: [signed] } }] };
  const again = toAnthropicMessage(signedResponse);
  assert.deepEqual((again.content as unknown[])[0], signed);
  assert.equal(again.stop_reason, 'stop_sequence', 'an Anthropic upstream\'s own reason is kept');
});

const chunk = (delta: ChatChunk['choices'][number]['delta'], finish: ChatChunk['choices'][number]['finish_reason'] = null): ChatChunk => ({ id: 'chatcmpl-2', object: 'chat.completion.chunk', created: 1, model: 'gpt-x', choices: [{ index: 0, delta, finish_reason: finish }] });

test('stream: message_start, ping, thinking then text blocks, tool_use blocks with their whole arguments, message_delta with usage, message_stop', () => {
  const sink = new Collected();
  const encoder = new AnthropicStreamEncoder(sink);
  encoder.write(chunk({ role: 'assistant', content: '' }));
  encoder.write(chunk({ reasoning_content: 'Hmm' }));
  encoder.write(chunk({ content: 'Checking' }));
  // Parallel calls with interleaved arguments, as OpenAI-compatible servers may send them.
  encoder.write(chunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'a', arguments: '{"x"' } }] }));
  encoder.write(chunk({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'b', arguments: '{}' } }] }));
  encoder.write(chunk({ tool_calls: [{ index: 0, function: { arguments: ':1}' } }] }));
  encoder.write(chunk({}, 'tool_calls'));
  encoder.usage({ ...chunk({}), choices: [], usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 } }, null);
  encoder.end();
  assert.ok(sink.ended);
  const events = sink.events();
  assert.deepEqual(events.map((e) => e.event), [
    'message_start', 'ping',
    'content_block_start', 'content_block_delta', 'content_block_stop',
    'content_block_start', 'content_block_delta', 'content_block_stop',
    'content_block_start', 'content_block_delta', 'content_block_stop',
    'content_block_start', 'content_block_delta', 'content_block_stop',
    'message_delta', 'message_stop',
  ]);
  const starts = events.filter((e) => e.event === 'content_block_start').map((e) => [e.data.index, (e.data.content_block as { type: string }).type]);
  assert.deepEqual(starts, [[0, 'thinking'], [1, 'text'], [2, 'tool_use'], [3, 'tool_use']]);
  const deltas = events.filter((e) => e.event === 'content_block_delta').map((e) => e.data.delta);
  assert.deepEqual(deltas, [
    { type: 'thinking_delta', thinking: 'Hmm' }, { type: 'text_delta', text: 'Checking' },
    { type: 'input_json_delta', partial_json: '{"x":1}' }, { type: 'input_json_delta', partial_json: '{}' },
  ]);
  const end = events.at(-2)!.data as { delta: { stop_reason: string }; usage: { input_tokens: number; output_tokens: number } };
  assert.equal(end.delta.stop_reason, 'tool_use');
  assert.equal(end.usage.input_tokens, 12);
  assert.equal(end.usage.output_tokens, 7);
});

test('stream: a failure after the first byte is an error event in Anthropic\'s shape, and the stream ends there', () => {
  const sink = new Collected();
  const encoder = new AnthropicStreamEncoder(sink);
  encoder.write(chunk({ content: 'Hel' }));
  encoder.fail(new ArbiterError('upstream_unavailable', 'Upstream overloaded.'));
  const events = sink.events();
  assert.equal(events.at(-1)?.event, 'error');
  assert.deepEqual(events.at(-1)?.data.error, { type: 'api_error', message: 'Upstream overloaded.' });
  assert.ok(!events.some((e) => e.event === 'message_stop'));
  assert.deepEqual(anthropicErrorBody(new ArbiterError('budget_exceeded', 'Budget spent.'), 'req_1'), { type: 'error', error: { type: 'rate_limit_error', message: 'Budget spent.' }, request_id: 'req_1' });
});

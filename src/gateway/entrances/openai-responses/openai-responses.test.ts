import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatChunk } from '../../../core/chat-response.js';
import { ArbiterError } from '../../../core/errors.js';
import { decodeResponsesBody, toCanonicalRequest } from './decode-request.js';
import { outputItems, responseObject, statusOf } from './encode-response.js';
import { ResponsesStreamEncoder, type EventSink } from './encode-stream.js';

class Collected implements EventSink {
  text = '';
  sendFramed(events: string): undefined {
    this.text += events;
    return undefined;
  }
  endWith(events: string): void {
    this.text += events;
  }
  events(): Array<Record<string, unknown>> {
    return this.text.split('\n\n').filter(Boolean).map((frame) => {
      const [eventLine, dataLine] = frame.split('\n');
      const data = JSON.parse(dataLine!.slice(6)) as Record<string, unknown>;
      assert.equal(data.type, eventLine!.slice(7));
      return data;
    });
  }
}

test('decode: items become chat messages in order; a function_call joins the assistant turn before it; instructions lead', () => {
  const { wire, input } = decodeResponsesBody({
    model: 'm', instructions: 'Be brief.', max_output_tokens: 50, reasoning: { effort: 'xhigh' },
    text: { format: { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true } },
    tools: [{ type: 'function', name: 'get_weather', parameters: { type: 'object' } }], tool_choice: { type: 'function', name: 'get_weather' },
    input: [
      { role: 'user', content: [{ type: 'input_text', text: 'Weather?' }, { type: 'input_image', image_url: 'data:image/png;base64,AAAA' }] },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Checking.' }] },
      { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Lisbon"}' },
      { type: 'reasoning', id: 'rs_1', summary: [] },
      { type: 'function_call_output', call_id: 'call_1', output: 'sunny' },
    ],
  });
  const request = toCanonicalRequest(wire, [], input);
  assert.deepEqual(request.messages.map((message) => message.role), ['system', 'user', 'assistant', 'tool']);
  const assistant = request.messages[2]!;
  assert.equal(assistant.role === 'assistant' ? assistant.content : '', 'Checking.');
  assert.equal(assistant.role === 'assistant' ? assistant.tool_calls?.[0]?.id : '', 'call_1');
  assert.equal(request.max_completion_tokens, 50);
  assert.equal(request.reasoning_effort, 'high');
  assert.equal(request.response_format?.type, 'json_schema');
  assert.deepEqual(request.tool_choice, { type: 'function', function: { name: 'get_weather' } });
});

test('decode: what the gateway cannot serve is refused naming the field', () => {
  const refused = (body: unknown, param: string) => assert.throws(() => decodeResponsesBody(body), (error: unknown) => error instanceof ArbiterError && error.status === 400 && error.param === param, param);
  refused({ model: 'm', input: 'x', tools: [{ type: 'file_search' }] }, 'tools[0].type');
  refused({ model: 'm', input: [{ type: 'item_reference', id: 'x' }] }, 'input[0].type');
  refused({ model: 'm', input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'file_1' }] }] }, 'input[0].content[0].image_url');
  refused({ model: 'm', input: 'x', background: true }, 'background');
  refused({ model: 'm', input: [{ type: 'function_call_output', output: 'x' }] }, 'input[0].call_id');
  refused({ model: 'm' }, 'input');
});

test('encode: reasoning, message and function_call items; a cut answer is incomplete with its reason', () => {
  const items = outputItems({ role: 'assistant', content: 'Sure.', reasoning_content: 'why', tool_calls: [{ id: 'call_9', type: 'function', function: { name: 'f', arguments: '{}' } }] });
  assert.deepEqual(items.map((item) => item.type), ['reasoning', 'message', 'function_call']);
  assert.equal(items[2]?.call_id, 'call_9');
  assert.deepEqual(statusOf('length'), { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } });
  const object = responseObject({ id: 'resp_1', createdAt: 5, model: 'm', wire: { model: 'm', input: 'x' }, store: false }, { status: 'completed', output: items, usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12, completion_tokens_details: { reasoning_tokens: 2 } } });
  assert.deepEqual(object.usage, { input_tokens: 9, input_tokens_details: { cached_tokens: 0 }, output_tokens: 3, output_tokens_details: { reasoning_tokens: 2 }, total_tokens: 12 });
});

const chunk = (delta: ChatChunk['choices'][number]['delta'], finish: ChatChunk['choices'][number]['finish_reason'] = null): ChatChunk => ({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-x', choices: [{ index: 0, delta, finish_reason: finish }] });

test('stream: items open and close in order with their deltas; the stored answer is handed over before response.completed', async () => {
  const sink = new Collected();
  let stored: unknown;
  const encoder = new ResponsesStreamEncoder(sink, { id: 'resp_2', createdAt: 1, model: 'm', wire: { model: 'm', input: 'x' }, store: true }, (message) => { stored = message; });
  encoder.write(chunk({ content: 'Hel' }));
  encoder.write(chunk({ content: 'lo' }));
  encoder.write(chunk({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a"' } }] }));
  encoder.write(chunk({ tool_calls: [{ index: 0, function: { arguments: ':1}' } }] }, 'tool_calls'));
  encoder.usage({ ...chunk({}), choices: [], usage: { prompt_tokens: 4, completion_tokens: 5, total_tokens: 9 } }, null);
  await encoder.end();
  const events = sink.events();
  assert.deepEqual(events.map((event) => event.type), [
    'response.created', 'response.in_progress',
    'response.output_item.added', 'response.content_part.added', 'response.output_text.delta', 'response.output_text.delta',
    'response.output_text.done', 'response.content_part.done', 'response.output_item.done',
    'response.output_item.added', 'response.function_call_arguments.delta', 'response.function_call_arguments.delta',
    'response.function_call_arguments.done', 'response.output_item.done',
    'response.completed',
  ]);
  assert.deepEqual(events.map((event) => event.sequence_number), events.map((_, index) => index));
  const done = events.find((event) => event.type === 'response.function_call_arguments.done')!;
  assert.equal(done.arguments, '{"a":1}');
  const completed = events.at(-1)!.response as { output: Array<{ type: string }>; usage: { output_tokens: number } };
  assert.deepEqual(completed.output.map((item) => item.type), ['message', 'function_call']);
  assert.equal(completed.usage.output_tokens, 5);
  assert.deepEqual(stored, { role: 'assistant', content: 'Hello', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] });
});

test('stream: a failure after the first byte is an error event then response.failed', () => {
  const sink = new Collected();
  const encoder = new ResponsesStreamEncoder(sink, { id: 'resp_3', createdAt: 1, model: 'm', wire: { model: 'm', input: 'x' }, store: false });
  encoder.write(chunk({ content: 'Hel' }));
  encoder.fail(new ArbiterError('upstream_error', 'Cut.'));
  const events = sink.events();
  assert.deepEqual(events.slice(-2).map((event) => event.type), ['error', 'response.failed']);
  assert.equal(events.at(-2)?.code, 'upstream_error');
  assert.equal((events.at(-1)?.response as { status: string }).status, 'failed');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatRequest } from '../core/chat-request.js';
import type { ChatChunk, ChatResponse, ChunkToolCall } from '../core/chat-response.js';
import { enforceToolCalls, enforceToolStream, stripTools } from './tools.js';
import { chunksOf, type StreamItem } from '../core/stream-item.js';

const tool = (name: string) => ({ type: 'function' as const, function: { name, parameters: {} } });

test('tools: disallowed tools are stripped and tool_choice fixed', () => {
  const request: ChatRequest = { model: 'm', messages: [{ role: 'user', content: 'x' }], tools: [tool('search'), tool('delete_db')], tool_choice: { type: 'function', function: { name: 'delete_db' } } };
  const { request: out, stripped } = stripTools(request, ['search']);
  assert.deepEqual(stripped, ['delete_db']);
  assert.deepEqual(out.tools?.map((t) => t.function.name), ['search']);
  assert.equal(out.tool_choice, 'auto');
  const none = stripTools({ ...request, tool_choice: 'required' }, []);
  assert.equal(none.request.tools, undefined);
  assert.equal(none.request.tool_choice, undefined);
  assert.equal(stripTools(request, null).request, request);
});

function response(names: string[]): ChatResponse {
  return {
    id: 'r', object: 'chat.completion', created: 0, model: 'm',
    choices: [{ index: 0, finish_reason: 'tool_calls', logprobs: null, message: { role: 'assistant', content: null, tool_calls: names.map((name, i) => ({ id: `c${i}`, type: 'function', function: { name, arguments: '{}' } })) } }],
  };
}

test('tools: blocked calls in responses become a refusal', () => {
  const mixed = enforceToolCalls(response(['search', 'delete_db']), ['search']);
  assert.deepEqual(mixed.blocked, ['delete_db']);
  assert.equal(mixed.response.choices[0]?.finish_reason, 'tool_calls');
  assert.deepEqual(mixed.response.choices[0]?.message.tool_calls?.map((c) => c.function.name), ['search']);
  assert.match(mixed.response.choices[0]?.message.content ?? '', /delete_db/);
  const all = enforceToolCalls(response(['delete_db']), ['search']);
  assert.equal(all.response.choices[0]?.finish_reason, 'stop');
  assert.equal(all.response.choices[0]?.message.tool_calls, undefined);
});

function chunk(toolCalls: ChunkToolCall[] | undefined, finish: ChatChunk['choices'][number]['finish_reason'] = null): ChatChunk {
  return { id: 'c', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta: toolCalls ? { tool_calls: toolCalls } : {}, finish_reason: finish }] };
}

async function* from(chunks: ChatChunk[]): AsyncIterable<ChatChunk> {
  for (const c of chunks) yield c;
}

async function collect(stream: AsyncIterable<StreamItem>): Promise<ChatChunk[]> {
  const out: ChatChunk[] = [];
  for await (const c of stream) out.push(...chunksOf(c));
  return out;
}

test('tools: streaming stage buffers until the name is known, drops blocked calls and re-indexes', async () => {
  const blocked: string[] = [];
  const out = await collect(enforceToolStream(from([
    chunk([{ index: 0, id: 'a', type: 'function', function: { arguments: '' } }]),
    chunk([{ index: 0, function: { name: 'delete_db' } }]),
    chunk([{ index: 0, function: { arguments: '{"all":true}' } }, { index: 1, id: 'b', type: 'function', function: { name: 'search', arguments: '{"q"' } }]),
    chunk([{ index: 1, function: { arguments: ':"x"}' } }]),
    chunk(undefined, 'tool_calls'),
  ]), ['search'], (name) => blocked.push(name)));
  assert.deepEqual(blocked, ['delete_db']);
  const calls = out.flatMap((c) => c.choices.flatMap((choice) => choice.delta.tool_calls ?? []));
  assert.ok(calls.every((c) => c.index === 0));
  assert.equal(calls.map((c) => c.function?.arguments ?? '').join(''), '{"q":"x"}');
  assert.ok(!JSON.stringify(out).includes('"all":true'));
  assert.equal(out.at(-1)?.choices[0]?.finish_reason, 'tool_calls');
  assert.ok(out.some((c) => c.choices.some((choice) => (choice.delta.content ?? '').includes('delete_db'))));

  const onlyBlocked = await collect(enforceToolStream(from([
    chunk([{ index: 0, id: 'a', type: 'function', function: { name: 'delete_db', arguments: '{}' } }]),
    chunk(undefined, 'tool_calls'),
  ]), ['search']));
  assert.equal(onlyBlocked.at(-1)?.choices[0]?.finish_reason, 'stop');
  assert.equal(onlyBlocked.flatMap((c) => c.choices.flatMap((choice) => choice.delta.tool_calls ?? [])).length, 0);
});

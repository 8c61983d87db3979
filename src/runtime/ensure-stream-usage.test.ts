import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatChunk, Usage } from '../core/chat-response.js';
import { ChunkAssembler } from '../core/chunk-assembler.js';
import { RawChunks, StreamFailure, chunksOf, type StreamItem } from '../core/stream-item.js';
import { ArbiterError } from '../core/errors.js';
import { ensureStreamUsage } from './ensure-stream-usage.js';

const payload = (i: number) => JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: `w${i} ` }, finish_reason: null }] });
/** Unparsed chunks as one upstream read brings them: `count` payloads from `first` on. */
const raw = (first: number, count = 1) => new RawChunks(Array.from({ length: count }, (_, k) => payload(first + k)), 'dep');
const finish: ChatChunk = { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] };

async function* stream(items: StreamItem[]): AsyncIterable<StreamItem> {
  for (const item of items) yield item;
}

test('a long stream without usage: every unparsed chunk is counted, in order, past the fold bound', async () => {
  // 500 reads of three chunks each: the bound counts chunks, not reads.
  const items: StreamItem[] = [...Array.from({ length: 500 }, (_, i) => raw(3 * i, 3)), finish];
  let counted = '';
  const out: StreamItem[] = [];
  for await (const item of ensureStreamUsage(stream(items), (text) => { counted = text; return { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } satisfies Usage; })) out.push(item);
  assert.equal(counted, Array.from({ length: 1500 }, (_, i) => `w${i} `).join(''));
  assert.equal(chunksOf(out.at(-1)!)[0]?.usage?.total_tokens, 3);
  // The chunks themselves pass through as they came.
  assert.equal(out[0], items[0]);

  const assembler = new ChunkAssembler();
  for (const item of out) assembler.add(item);
  const response = assembler.toResponse();
  assert.equal(response.choices[0]?.message.content, counted);
  assert.equal(response.choices[0]?.finish_reason, 'stop');
  assert.equal(response.usage?.total_tokens, 3);
});

test('a stream whose usage arrives is not counted again', async () => {
  let called = false;
  const usageChunk: ChatChunk = { ...finish, choices: [], usage: { prompt_tokens: 4, completion_tokens: 5, total_tokens: 9 } };
  const out: StreamItem[] = [];
  for await (const item of ensureStreamUsage(stream([raw(1), finish, usageChunk]), () => { called = true; return { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 }; })) out.push(item);
  assert.equal(called, false);
  assert.equal(out.length, 3);
});

async function* failing(items: StreamItem[], error: unknown): AsyncIterable<StreamItem> {
  for (const item of items) yield item;
  throw error;
}

test('a stream that fails after its first item ends with a StreamFailure billed on the text that arrived', async () => {
  const cut = new ArbiterError('upstream_cut', 'cut short', { retryable: true });
  let counted: string | undefined;
  const out: StreamItem[] = [];
  for await (const item of ensureStreamUsage(failing([raw(0, 2), raw(2)], cut), (text) => { counted = text; return { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 }; })) out.push(item);
  assert.equal(out.length, 3);
  const last = out.at(-1);
  assert.ok(last instanceof StreamFailure);
  assert.equal(last.error, cut);
  assert.equal(counted, 'w0 w1 w2 ');
  assert.equal(last.billed.total_tokens, 10);
  // Nothing after the failure.
  const again = ensureStreamUsage(failing([raw(0)], cut), () => ({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 }))[Symbol.asyncIterator]();
  await again.next();
  assert.ok((await again.next()).value instanceof StreamFailure);
  assert.equal((await again.next()).done, true);
});

test('a failure after the usage arrived is billed on that usage; a throw that is no ArbiterError becomes an upstream error', async () => {
  const usageChunk: ChatChunk = { ...finish, choices: [], usage: { prompt_tokens: 4, completion_tokens: 5, total_tokens: 9 } };
  let called = false;
  const out: StreamItem[] = [];
  for await (const item of ensureStreamUsage(failing([raw(1), usageChunk], new Error('socket')), () => { called = true; return { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 }; })) out.push(item);
  const last = out.at(-1);
  assert.ok(last instanceof StreamFailure);
  assert.equal(called, false);
  assert.equal(last.billed, usageChunk.usage);
  assert.equal(last.error.code, 'upstream_error');
});

test('a stream that fails before its first item rejects: the attempt fails and may fall back', async () => {
  const cut = new ArbiterError('upstream_cut', 'cut before anything', { retryable: true });
  await assert.rejects(ensureStreamUsage(failing([], cut), () => ({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 }))[Symbol.asyncIterator]().next(), (error: unknown) => error === cut);
});

/** Fixture readers for the adapter tests: whole payloads and one-event-per-line streams. */
import { readFileSync } from 'node:fs';
import { ChunkAssembler } from '../../core/chunk-assembler.js';
import type { ChatChunk, ChatResponse } from '../../core/chat-response.js';
import { chunksOf, type StreamItem } from '../../core/stream-item.js';

export function fixtureText(name: string): string {
  return readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');
}

export function fixtureJson(name: string): unknown {
  return JSON.parse(fixtureText(name));
}

/** `.chunks.txt` lines as SSE events; Anthropic lines are `event<TAB>data`. */
export function fixtureEvents(name: string): Array<{ event?: string; data: string }> {
  return fixtureText(name).trim().split('\n').map((line) => {
    const tab = line.indexOf('\t');
    return tab === -1 ? { data: line } : { event: line.slice(0, tab), data: line.slice(tab + 1) };
  });
}

export async function* iterate<T>(items: T[]): AsyncIterable<T> {
  for (const item of items) yield item;
}

/** The chunks of a stream, parsed (an OpenAI stream passes plain deltas on as their text). */
export async function collectChunks(chunks: AsyncIterable<StreamItem>): Promise<ChatChunk[]> {
  const out: ChatChunk[] = [];
  for await (const item of chunks) out.push(...chunksOf(item));
  return out;
}

export function assemble(chunks: ChatChunk[]): ChatResponse {
  const assembler = new ChunkAssembler();
  for (const chunk of chunks) assembler.add(chunk);
  return assembler.toResponse();
}

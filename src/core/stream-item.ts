/**
 * What a provider stream yields: canonical chunks, and, for chunks an OpenAI-format upstream
 * sent that need no change, the upstream's own text, parsed only if something reads it. Most
 * chunks of a stream are plain content deltas that the gateway forwards as they came and only
 * the audit, the cache or a missing usage figure ever look into; parsing each one cost more
 * than everything else the gateway does per chunk. The type makes every consumer say which it
 * handles: `chunksOf` gives the parsed chunks.
 */
import type { ChatChunk, Usage } from './chat-response.js';
import { ArbiterError } from './errors.js';

export class RawChunks {
  private parsed: ChatChunk[] | undefined;

  /**
   * `payloads`: consecutive SSE data payloads of one upstream read, each a JSON object on one
   * line; `source`: the deployment, for errors. One item per read rather than per payload:
   * each item costs a promise step at every stage of the stream.
   */
  constructor(readonly payloads: readonly string[], private readonly source: string) {}

  /** The payloads as SSE events, as the gateway forwards them (the eval client never asks). */
  framed(): string {
    let framed = '';
    for (const payload of this.payloads) framed += `data: ${payload}\n\n`;
    return framed;
  }

  chunks(): ChatChunk[] {
    this.parsed ??= this.payloads.map((payload) => this.parse(payload));
    return this.parsed;
  }

  private parse(payload: string): ChatChunk {
    let value: unknown;
    try {
      value = JSON.parse(payload);
    } catch {
      throw new ArbiterError('upstream_error', `Deployment ${this.source} sent a malformed stream event.`, { retryable: true });
    }
    if (typeof value !== 'object' || value === null || !Array.isArray((value as ChatChunk).choices)) {
      throw new ArbiterError('upstream_error', `Deployment ${this.source} sent a stream event without choices.`, { retryable: true });
    }
    return value as ChatChunk;
  }
}

/**
 * How a stream that broke after its first item ends, in place of further chunks: the error,
 * and the usage billed up to it (the upstream's own figure if it sent one, else counted from
 * what arrived). An item rather than a throw, so every entrance encodes the error in its own
 * format (a chat-completions `data: {"error"}` event, a Messages `event: error`) without a
 * `[DONE]` or a clean stop, and the controls settle on what was billed. Nothing follows it.
 */
export class StreamFailure {
  constructor(readonly error: ArbiterError, readonly billed: Usage) {}
}

export type StreamItem = ChatChunk | RawChunks | StreamFailure;

/**
 * How many chunks a consumer may hold unparsed before folding the oldest into its state: a
 * short answer is never parsed, a long one costs a bounded amount of memory (the chunks of a
 * 30k-token answer held whole would take megabytes per stream).
 */
const MAX_HELD_CHUNKS = 512;

/** The parsed chunks an item holds, in order. */
export function chunksOf(item: StreamItem): readonly ChatChunk[] {
  if (item instanceof RawChunks) return item.chunks();
  return item instanceof StreamFailure ? [] : [item];
}

/**
 * Items a consumer keeps unparsed until it needs them, in order. Past MAX_HELD_CHUNKS chunks
 * (and on `release`) they are parsed and handed to `take` oldest first.
 */
export class HeldChunks {
  private items: StreamItem[] = [];
  private count = 0;

  constructor(private readonly take: (chunk: ChatChunk) => void) {}

  get empty(): boolean {
    return this.items.length === 0;
  }

  hold(item: StreamItem): void {
    this.items.push(item);
    this.count += item instanceof RawChunks ? item.payloads.length : 1;
    if (this.count > MAX_HELD_CHUNKS) this.release();
  }

  /** Hands every held chunk to `take`, in order. */
  release(): void {
    const items = this.items;
    this.clear();
    for (const item of items) {
      for (const chunk of chunksOf(item)) this.take(chunk);
    }
  }

  /** Drops what is held: it will not be needed. */
  clear(): void {
    if (this.items.length === 0) return;
    this.items = [];
    this.count = 0;
  }
}

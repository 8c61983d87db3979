/**
 * What a provider stream yields: canonical chunks, and, for a chunk an OpenAI-format
 * upstream sent that needs no change, the upstream's own text, parsed only if something reads
 * it. Most chunks of a stream are plain content deltas that the gateway forwards as they came
 * and only the audit, the cache or a missing usage figure ever look into; parsing each one
 * cost more than everything else the gateway does per chunk. The type makes every consumer
 * say which it handles: `chunkOf` gives the parsed chunk.
 */
import type { ChatChunk } from './chat-response.js';
import { ArbiterError } from './errors.js';

export class RawChunk {
  private parsed: ChatChunk | undefined;

  /** `text`: one SSE data payload, a JSON object on one line; `source`: the deployment, for errors. */
  constructor(readonly text: string, private readonly source: string) {}

  chunk(): ChatChunk {
    if (this.parsed) return this.parsed;
    let value: unknown;
    try {
      value = JSON.parse(this.text);
    } catch {
      throw new ArbiterError('upstream_error', `Deployment ${this.source} sent a malformed stream event.`, { retryable: true });
    }
    if (typeof value !== 'object' || value === null || !Array.isArray((value as ChatChunk).choices)) {
      throw new ArbiterError('upstream_error', `Deployment ${this.source} sent a stream event without choices.`, { retryable: true });
    }
    this.parsed = value as ChatChunk;
    return this.parsed;
  }
}

export type StreamItem = ChatChunk | RawChunk;

/**
 * How many chunks a consumer may hold unparsed before folding the oldest into its state: a
 * short answer is never parsed, a long one costs a bounded amount of memory (the chunks of a
 * 30k-token answer held whole would take megabytes per stream).
 */
export const MAX_DEFERRED_CHUNKS = 512;

export function chunkOf(item: StreamItem): ChatChunk {
  return item instanceof RawChunk ? item.chunk() : item;
}

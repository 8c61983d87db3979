/**
 * What the controls hand back for an admitted request: the request to send upstream, a cached
 * answer if there is one, the tool filters, and `finish`, which settles, caches and audits.
 * `finish` runs exactly once per admitted request, whatever happened.
 */
import type { ChatRequest } from '../core/chat-request.js';
import type { ChatResponse } from '../core/chat-response.js';
import type { StreamItem } from '../core/stream-item.js';
import type { ChatOutcome } from './request-facts.js';

export interface ChatAdmission {
  /** The request to send upstream (tools may have been stripped). */
  request: ChatRequest;
  cachedResponse?: ChatResponse;
  upstreamHeaders?: Record<string, string>;
  enforceResponse(response: ChatResponse): ChatResponse;
  enforceStream(chunks: AsyncIterable<StreamItem>): AsyncIterable<StreamItem>;
  finish(outcome: ChatOutcome): void;
}

/** An embeddings call admitted past the key's limits and budgets; `finish` settles and audits it. */
export interface EmbeddingAdmission {
  finish(outcome: ChatOutcome): void;
}

/**
 * The gateway's view of the controls on the chat path: admit (rate limits, tool permissions,
 * cache lookup, budget reservation) before the call, and finish (settle, cache store, audit,
 * metrics) after it. `finish` runs exactly once per admitted request, whatever happened.
 */
import type { ChatRequest } from '../core/chat-request.js';
import type { ChatResponse, Usage } from '../core/chat-response.js';
import type { StreamItem } from '../core/stream-item.js';
import type { Deployment } from '../core/provider.js';
import type { NanoUsd } from '../core/money.js';
import type { EmbeddingRequest } from '../core/embeddings.js';
import type { GatewayContext } from './context.js';
import type { AttemptRecord, ResolvedTarget } from '../runtime/types.js';

export interface ChatOutcome {
  status: number;
  errorCode?: string;
  deployment?: Deployment;
  attempts: AttemptRecord[];
  retries: number;
  fallbacks: number;
  response?: ChatResponse;
  usage?: Usage;
  costNano?: NanoUsd | null;
  firstTokenMs?: number;
  cacheHit?: boolean;
  streamed: boolean;
}

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

export interface ChatControls {
  admit(ctx: GatewayContext, request: ChatRequest, target: ResolvedTarget): Promise<ChatAdmission>;
  admitEmbedding(ctx: GatewayContext, request: EmbeddingRequest, deployment: Deployment): Promise<EmbeddingAdmission>;
  /**
   * A request refused before admission (a body that does not validate, an unknown model, a
   * route the key may not use): one audit row and one metric. `model` when the body named one.
   */
  refuse(ctx: GatewayContext, error: unknown, model?: string): void;
}

/** Controls off: everything passes, nothing is recorded. */
export const openChatControls: ChatControls = {
  async admit(_ctx, request) {
    return {
      request,
      enforceResponse: (response) => response,
      enforceStream: (chunks) => chunks,
      finish: () => undefined,
    };
  },
  async admitEmbedding() {
    return { finish: () => undefined };
  },
  refuse: () => undefined,
};

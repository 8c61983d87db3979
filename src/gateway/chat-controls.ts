/**
 * The gateway's view of the controls on the chat path: admit (rate limits, tool permissions,
 * cache lookup, budget reservation) before the call, and finish (settle, cache store, audit,
 * metrics) after it. `finish` runs exactly once per admitted request, whatever happened.
 */
import type { ChatRequest } from '../core/chat-request.js';
import type { Deployment } from '../core/provider.js';
import type { EmbeddingRequest } from '../core/embeddings.js';
import type { GatewayContext } from './context.js';
import type { ResolvedTarget } from '../runtime/types.js';
import type { ChatAdmission, EmbeddingAdmission } from '../controls/chat-admission.js';

// The decisions live in src/controls; these are the types the routes speak.
export type { ChatAdmission, EmbeddingAdmission } from '../controls/chat-admission.js';
export type { ChatOutcome } from '../controls/request-facts.js';

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

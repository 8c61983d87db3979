/**
 * What evals and the router's callers need from "call a model": the gateway's provider layer
 * implements it, tests and benchmarks can fake it.
 */
import type { ChatRequest } from './chat-request.js';
import type { ChatResponse } from './chat-response.js';
import type { NanoUsd } from './money.js';
import type { CancelSignal } from './cancel-signal.js';

export interface ChatCallResult {
  response: ChatResponse;
  /** The deployment that answered. */
  deployment: string;
  /** Null when the deployment has no price: unpriced, never silently zero. */
  costNano: NanoUsd | null;
  latencyMs: number;
  ttftMs?: number;
  cached?: boolean;
}

export interface ChatClient {
  /** `request.model` names a model, a route or an ad-hoc endpoint. */
  chat(request: ChatRequest, options?: { signal?: CancelSignal; headers?: Record<string, string> }): Promise<ChatCallResult>;
}

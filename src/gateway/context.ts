/** Per-request state handed through the middleware chain. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CancelSignal } from '../core/cancel-signal.js';

export interface GatewayContext {
  req: IncomingMessage;
  res: ServerResponse;
  requestId: string;
  method: string;
  path: string;
  query: URLSearchParams;
  startedAt: number;
  /** Headers to add to whatever response goes out (set by middleware before the handler writes). */
  responseHeaders: Record<string, string>;
  /** Aborted when the client goes away, so upstream calls stop too. */
  signal: CancelSignal;
  vars: Partial<GatewayVariables>;
}

/** The API a request came in by; every entrance is served by the same path behind it. */
export type Entrance = 'chat' | 'messages' | 'responses' | 'embeddings';

/** Typed slots middleware fill in for later stages (Hono's `c.set/c.get`, without the strings). */
export interface GatewayVariables {
  /** Set from the route table before any middleware runs, so even a refusal at the door names it. */
  entrance: Entrance;
  keyId: string;
  keyName: string;
  keyRoute: string;
  isLocalRequest: boolean;
}

export type Next = () => Promise<void>;
export type Middleware = (ctx: GatewayContext, next: Next) => Promise<void>;
export type Handler = (ctx: GatewayContext) => Promise<void>;

/**
 * The contract between the gateway/router/evals and the provider adapters. An adapter turns
 * a canonical request into its provider's wire call and maps the answer back; it never
 * retries or falls back (the router does that).
 */
import type { Dispatcher } from 'undici';
import type { ChatRequest } from './chat-request.js';
import type { ChatResponse } from './chat-response.js';
import type { EmbeddingRequest, EmbeddingResponse } from './embeddings.js';
import type { CancelSignal } from './cancel-signal.js';
import type { StreamItem } from './stream-item.js';

export type ProviderKind = 'openai' | 'anthropic' | 'gemini' | 'openai-compatible';

export interface UpstreamTimeouts {
  connectMs: number;
  /** Time until the response headers (and for streams, the first event) arrive. */
  firstByteMs: number;
  totalMs: number;
}

/** One place a model is served: a provider, an upstream id, an endpoint and a key. */
export interface Deployment {
  /** Unique, stable name, e.g. `gpt-4o@openai`. */
  name: string;
  /** The public model name clients ask for; several deployments may share it (mirrors). */
  model: string;
  provider: ProviderKind;
  /** For openai-compatible: the vendor preset (deepseek, qwen, ollama...). */
  preset?: string;
  upstreamModel: string;
  baseUrl: string;
  /** Resolved secret. Never log, never echo. */
  apiKey?: string;
  region?: string;
  headers?: Record<string, string>;
  /** Catalog model id this deployment serves, for prices and capabilities. */
  catalogModel?: string;
  timeouts: UpstreamTimeouts;
  simulated?: boolean;
}

export interface ProviderCallOptions {
  signal?: CancelSignal;
  dispatcher?: Dispatcher;
  /** Extra request headers, e.g. the simulator's fault-injection headers. */
  headers?: Record<string, string>;
  requestId?: string;
}

/**
 * `request.model` is the client's name (a model or a route); the upstream's id is
 * `deployment.upstreamModel`, so one request serves every deployment of a chain unchanged.
 */
export interface ProviderAdapter {
  readonly kind: ProviderKind;
  chat(deployment: Deployment, request: ChatRequest, options: ProviderCallOptions): Promise<ChatResponse>;
  /**
   * Resolves once the upstream accepted the stream (2xx headers), so failures before the first
   * byte can still be retried elsewhere; the iterable yields canonical chunks.
   */
  chatStream(deployment: Deployment, request: ChatRequest, options: ProviderCallOptions): Promise<AsyncIterable<StreamItem>>;
  embed?(deployment: Deployment, request: EmbeddingRequest, options: ProviderCallOptions): Promise<EmbeddingResponse>;
}

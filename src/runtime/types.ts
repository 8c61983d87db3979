/**
 * The runtime turns "a model or route name" into calls: it owns the deployments, the provider
 * adapters, prices and the router, and is shared by the gateway and the CLI (evals call it
 * through the ChatClient interface).
 */
import type { ChatRequest } from '../core/chat-request.js';
import type { ChatResponse, Usage } from '../core/chat-response.js';
import type { StreamItem } from '../core/stream-item.js';
import type { ChatClient } from '../core/chat-client.js';
import type { Deployment } from '../core/provider.js';
import type { EmbeddingRequest, EmbeddingResponse } from '../core/embeddings.js';
import type { NanoUsd } from '../core/money.js';
import type { RouteConfig } from '../config/routes.js';
import type { QualityLookup } from '../router/route-candidate.js';
import type { CancelSignal } from '../core/cancel-signal.js';

export interface TargetHints {
  /** `x-arbiter-route` header. */
  routeHeader?: string;
  /** The route bound to the caller's virtual key. */
  keyRoute?: string;
  /** Stable id for sticky exploration decisions. */
  requestId?: string;
}

export interface ResolvedTarget {
  /** What the client asked for. */
  requested: string;
  /** Set when a route policy chose the chain. */
  routeName?: string;
  route?: RouteConfig;
  chain: Deployment[];
  /** Short ASCII reason for `x-arbiter-reason`. */
  reason: string;
  /** Full explanation for audit / `--explain`. */
  explanation?: string;
  /** Candidates a route policy left out, with why (read only when the audit row is written). */
  excluded?: ReadonlyArray<{ modelId: string; reasons: string[] }>;
}

export interface AttemptRecord {
  deployment: string;
  ok: boolean;
  errorCode?: string;
  status?: number;
  latencyMs: number;
  /** ms after the chain began. */
  startMs?: number;
}

export interface ExecutionMeta {
  deployment: Deployment;
  attempts: AttemptRecord[];
  retries: number;
  fallbacks: number;
}

export interface ChatExecution extends ExecutionMeta {
  response: ChatResponse;
  costNano: NanoUsd | null;
  latencyMs: number;
}

export interface StreamExecution extends ExecutionMeta {
  /** Canonical chunks, the first already received from upstream (so it can't fail before byte one). */
  chunks: AsyncIterable<StreamItem>;
}

export interface CallOptions {
  signal?: CancelSignal;
  headers?: Record<string, string>;
  requestId?: string;
}

export interface DeploymentStatus {
  name: string;
  model: string;
  provider: string;
  vendor: string;
  jurisdiction: string;
  region: string;
  simulated: boolean;
  breaker: 'closed' | 'open' | 'half-open';
  /** Exponentially weighted recent error rate; null before the first call. */
  recentErrorRate: number | null;
}

export interface Runtime {
  readonly deployments: readonly Deployment[];
  /** True when every deployment is simulated (no API keys were found). */
  readonly simulated: boolean;
  /** Public names: models, and routes as `route` entries. */
  listModels(): Array<{ id: string; ownedBy: string; simulated: boolean; kind: 'model' | 'route' }>;
  resolve(request: ChatRequest, hints: TargetHints): ResolvedTarget;
  executeChat(target: ResolvedTarget, request: ChatRequest, options: CallOptions): Promise<ChatExecution>;
  executeStream(target: ResolvedTarget, request: ChatRequest, options: CallOptions): Promise<StreamExecution>;
  /**
   * The deployment that serves embeddings for `request.model`: the first mirror whose provider
   * embeds and, for a key bound to a route (`keyRoute`), that the route's compliance rules admit.
   */
  resolveEmbedding(request: EmbeddingRequest, keyRoute?: string): Deployment;
  /** Input tokens of an embedding request on a deployment, counted before the call (for limits and budgets). */
  estimateEmbeddingTokens(request: EmbeddingRequest, deployment: Deployment): number;
  embed(request: EmbeddingRequest, deployment: Deployment, options: CallOptions): Promise<{ response: EmbeddingResponse; costNano: NanoUsd | null }>;
  /** Cost of a usage on a deployment; null when the deployment is unpriced. */
  costOf(deployment: Deployment, usage: Usage): NanoUsd | null;
  estimatePromptTokens(request: ChatRequest, deployment?: Deployment): number;
  chatClient: ChatClient;
  isSimulated(model: string): boolean;
  /** Replaces the eval evidence routes decide on (after a bake-off or a store refresh). */
  setQuality(quality: QualityLookup | undefined): void;
  /** The full decision for a route, for `arbiter route --explain`. */
  explainRoute(routeName: string, request: ChatRequest): string;
  providerOf(model: string): string;
  /** Each deployment with its catalog facts and the router's live view of it (the dashboard's providers page). */
  deploymentStatus?(): DeploymentStatus[];
  close(): Promise<void>;
}

/**
 * What the controls know of a request and its outcome, without HTTP: the gateway fills these
 * from its context, any other entrance (an eval worker, a test) can build them directly.
 */
import type { ChatResponse, Usage } from '../core/chat-response.js';
import type { Deployment } from '../core/provider.js';
import type { NanoUsd } from '../core/money.js';
import type { BudgetSpec } from './specs.js';

/** The request as the controls see it: who, when, which headers, where decision headers go. */
export interface RequestFacts {
  requestId: string;
  startedAt: number;
  method: string;
  path: string;
  /** The API the request came in by (chat, messages, responses, embeddings), for the audit row. */
  entrance?: string;
  /** Set by authentication. */
  keyId?: string;
  keyName?: string;
  keyRoute?: string;
  /** `x-arbiter-cache` request header. */
  cacheHeader?: string;
  /** `cache-control` request header. */
  cacheControl?: string;
  /** Headers the answer carries (budget warning, cache miss): the controls write, the caller sends. */
  responseHeaders: Record<string, string>;
}

/** One upstream attempt, as the audit records it. */
export interface AttemptFacts {
  deployment: string;
  ok: boolean;
  errorCode?: string;
  status?: number;
  latencyMs: number;
}

/** The route facts the controls decide on. */
export interface RouteFacts {
  budgets: readonly BudgetSpec[];
  cache: { enabled: boolean; ttlSeconds: number; allowNonZeroTemperature: boolean };
  storeBodies: boolean;
}

/** Where a request goes: the resolved chain and, on a route, its name and policy. */
export interface TargetFacts {
  requested: string;
  routeName?: string;
  route?: RouteFacts;
  chain: readonly Deployment[];
  reason: string;
  /** Candidates a route policy left out, with why (read only when the audit row is written). */
  excluded?: ReadonlyArray<{ modelId: string; reasons: string[] }>;
}

/** What the controls learn of a finished request (settle, cache store, audit, metrics). */
export interface ChatOutcome {
  status: number;
  errorCode?: string;
  deployment?: Deployment;
  attempts: AttemptFacts[];
  retries: number;
  fallbacks: number;
  response?: ChatResponse;
  usage?: Usage;
  costNano?: NanoUsd | null;
  firstTokenMs?: number;
  cacheHit?: boolean;
  streamed: boolean;
}

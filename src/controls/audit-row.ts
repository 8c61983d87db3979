/**
 * What one finished (or refused) request writes: its audit row and its metrics. Pure
 * mappings from the request facts and the outcome; the writer and the registry are the caller's.
 */
import { nanoToUsd } from '../core/money.js';
import type { RequestMetrics } from '../telemetry/metrics.js';
import type { AuditRecord } from './audit.js';
import { canonicalJson, sha256 } from './cache.js';
import { redact } from './redact.js';
import type { ChatOutcome, RequestFacts, TargetFacts } from './request-facts.js';

/** What one audit row is written from. */
export interface AuditEntry {
  /**
   * The model asked for and what the prompt hash covers (chat messages, embedding input);
   * a request refused before routing has no content.
   */
  prompt?: { model: string; content?: unknown };
  target?: TargetFacts;
  outcome: ChatOutcome;
  blocked: readonly string[];
  key?: { id: string; name: string };
  /** Why this deployment, when no router decision says it. */
  reason?: string;
}

/** An outcome with no call made: a refusal's status and code. */
export function refusedOutcome(refused: { status: number; code: string }, streamed = false, deployment?: ChatOutcome['deployment']): ChatOutcome {
  return { status: refused.status, errorCode: refused.code, deployment, attempts: [], retries: 0, fallbacks: 0, streamed };
}

export function requestMetricsOf(entry: AuditEntry, latencyMs: number): RequestMetrics {
  const { outcome, target } = entry;
  const usage = outcome.usage ?? outcome.response?.usage;
  return {
    route: target?.routeName ?? '',
    deployment: outcome.deployment?.name ?? '',
    status: outcome.status,
    cacheHit: outcome.cacheHit === true,
    fallbacks: outcome.fallbacks,
    retries: outcome.retries,
    blockedTools: entry.blocked,
    latencySeconds: latencyMs / 1000,
    ttftSeconds: outcome.firstTokenMs !== undefined ? outcome.firstTokenMs / 1000 : undefined,
    tokens: usage && !outcome.cacheHit ? {
      prompt: usage.prompt_tokens,
      completion: usage.completion_tokens,
      cached: usage.prompt_tokens_details?.cached_tokens ?? 0,
      reasoning: usage.completion_tokens_details?.reasoning_tokens ?? 0,
    } : undefined,
    costUsd: outcome.costNano ? nanoToUsd(outcome.costNano) : undefined,
  };
}

/** The audit row; a cache hit bills nothing, so its token columns are zero. */
export function auditRowOf(facts: RequestFacts, entry: AuditEntry, latencyMs: number): AuditRecord {
  const { prompt, target, outcome, blocked, key } = entry;
  const usage = outcome.usage ?? outcome.response?.usage;
  const storeBodies = target?.route?.storeBodies === true;
  const hit = outcome.cacheHit === true;
  return {
    request_id: facts.requestId,
    created_at: facts.startedAt,
    key_id: key?.id ?? facts.keyId ?? null,
    key_name: key?.name ?? facts.keyName ?? null,
    route: target?.routeName ?? null,
    deployment: outcome.deployment?.name ?? null,
    model: outcome.deployment?.model ?? outcome.response?.model ?? prompt?.model ?? null,
    reason: entry.reason ?? target?.reason ?? `${facts.method} ${facts.path} refused before the handler`,
    attempts_json: outcome.attempts.length > 0 ? JSON.stringify(outcome.attempts) : null,
    retries: outcome.retries,
    fallbacks: outcome.fallbacks,
    status: outcome.status,
    error_code: outcome.errorCode ?? null,
    prompt_tokens: hit ? 0 : usage?.prompt_tokens ?? 0,
    completion_tokens: hit ? 0 : usage?.completion_tokens ?? 0,
    cached_tokens: hit ? 0 : usage?.prompt_tokens_details?.cached_tokens ?? 0,
    reasoning_tokens: hit ? 0 : usage?.completion_tokens_details?.reasoning_tokens ?? 0,
    cost_nano: outcome.costNano === undefined ? null : outcome.costNano,
    latency_ms: latencyMs,
    ttft_ms: outcome.firstTokenMs ?? null,
    cache_hit: hit ? 1 : 0,
    streamed: outcome.streamed ? 1 : 0,
    blocked_tools_json: blocked.length > 0 ? JSON.stringify(blocked) : null,
    prompt_hash: prompt?.content !== undefined ? sha256(canonicalJson(prompt.content)) : null,
    prompt_body: storeBodies && prompt?.content !== undefined ? redact(JSON.stringify(prompt.content)) : null,
    response_body: storeBodies && outcome.response ? redact(JSON.stringify(outcome.response)) : null,
    entrance: facts.entrance ?? null,
    route_excluded_json: excludedJson(target),
  };
}

/** A routed request's excluded candidates for its audit row; none is null, not `[]`. */
function excludedJson(target: TargetFacts | undefined): string | null {
  const excluded = target?.routeName ? target.excluded : undefined;
  return excluded && excluded.length > 0 ? JSON.stringify(excluded.slice(0, 50)) : null;
}

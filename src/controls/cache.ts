/**
 * Response cache: exact-match on a SHA-256 of the canonical JSON (sorted keys) of everything
 * that shapes the answer. In-memory LRU with TTL and an entry cap.
 */
import { sha256Hex } from '../core/sha256.js';
import type { ChatRequest } from '../core/chat-request.js';
import { canonicalJson } from '../core/canonical-json.js';

export { canonicalJson };
import { requestedMaxTokens } from '../core/chat-request.js';
import type { ChatResponse } from '../core/chat-response.js';

export const sha256 = sha256Hex;

/**
 * Fields that shape only the transport or the bookkeeping, not the answer. Everything else
 * is in the key, fields Arbiter does not know included: they are passed upstream and may
 * change what comes back. The cap is keyed once, whichever of its two names set it.
 */
const NOT_IN_KEY = new Set(['model', 'stream', 'stream_options', 'user', 'metadata', 'max_tokens', 'max_completion_tokens']);

/**
 * The cache key: target (route or model), the upstream model that answers (a route whose
 * deployment moves to another model version must not replay the old one's answers), and
 * every answer-shaping field; an unset field and a null one are the same.
 */
export function cacheKey(request: ChatRequest, target: string, upstreamModel?: string): string {
  const fields: Record<string, unknown> = { target, upstream_model: upstreamModel ?? null, max_tokens: requestedMaxTokens(request) ?? null };
  for (const name in request) {
    const value = request[name as keyof ChatRequest];
    if (!NOT_IN_KEY.has(name) && value != null) fields[`request.${name}`] = value;
  }
  return sha256(canonicalJson(fields));
}

export interface CachePolicyInput {
  routeEnabled: boolean;
  allowNonZeroTemperature: boolean;
  /** `x-arbiter-cache` request header. */
  cacheHeader?: string;
  /** `cache-control` request header. */
  cacheControl?: string;
  temperature: number | null | undefined;
}

/** Whether the cache applies to this request at all. */
export function cacheApplies(input: CachePolicyInput): boolean {
  const header = input.cacheHeader?.trim().toLowerCase();
  if (header === 'off') return false;
  const enabled = input.routeEnabled || header === 'on';
  if (!enabled) return false;
  if (input.cacheControl && /(^|,)\s*no-(cache|store)\s*(,|$)/i.test(input.cacheControl)) return false;
  // Unset temperature means the provider default (usually 1): sampled, so not cacheable either.
  const temperature = input.temperature ?? 1;
  if (temperature > 0 && !input.allowNonZeroTemperature) return false;
  return true;
}

/** A stored answer and the deployment that gave it (a hit says which one, as a live answer does). */
export interface CachedAnswer {
  response: ChatResponse;
  deployment?: { name: string; model: string; simulated?: boolean };
}

interface Entry {
  answer: CachedAnswer;
  expiresAt: number;
}

export class ResponseCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxEntries = 10_000, private readonly now: () => number = Date.now) {}

  get(key: string): CachedAnswer | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    // Refresh recency: Map iteration order is insertion order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.answer;
  }

  set(key: string, answer: CachedAnswer, ttlMs: number): void {
    this.entries.delete(key);
    this.entries.set(key, { answer, expiresAt: this.now() + ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

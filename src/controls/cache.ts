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

/** The cache key: target (route or model) plus the answer-shaping fields. */
export function cacheKey(request: ChatRequest, target: string): string {
  return sha256(canonicalJson({
    target,
    messages: request.messages,
    tools: request.tools ?? null,
    tool_choice: request.tool_choice ?? null,
    response_format: request.response_format ?? null,
    temperature: request.temperature ?? null,
    top_p: request.top_p ?? null,
    max_tokens: requestedMaxTokens(request) ?? null,
    stop: request.stop ?? null,
    seed: request.seed ?? null,
  }));
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

interface Entry {
  response: ChatResponse;
  expiresAt: number;
}

export class ResponseCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxEntries = 10_000, private readonly now: () => number = Date.now) {}

  get(key: string): ChatResponse | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    // Refresh recency: Map iteration order is insertion order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.response;
  }

  set(key: string, response: ChatResponse, ttlMs: number): void {
    this.entries.delete(key);
    this.entries.set(key, { response, expiresAt: this.now() + ttlMs });
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

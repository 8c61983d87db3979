/**
 * Retries for eval calls: only errors the provider layer marks retryable (429, 5xx,
 * timeouts). The wait is the upstream's Retry-After when it sent one, else exponential
 * backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter").
 */
import { isArbiterError } from '../../core/errors.js';

export interface RetryPolicy {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxRetries: 3, baseDelayMs: 1000, maxDelayMs: 30_000 };

export interface RetryDeps {
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  signal?: AbortSignal;
  onRetry?: (attempt: number, delayMs: number, error: unknown) => void;
}

export function retryDelayMs(error: unknown, attempt: number, policy: RetryPolicy, random: () => number): number {
  if (isArbiterError(error) && error.retryAfterMs !== undefined) return Math.min(error.retryAfterMs, policy.maxDelayMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(ceiling * random());
}

export function isRetryable(error: unknown): boolean {
  return isArbiterError(error) && error.retryable;
}

/** Runs `call`, retrying retryable failures; the last error is rethrown with the attempt count. */
export async function callWithRetries<T>(call: () => Promise<T>, policy: RetryPolicy, deps: RetryDeps): Promise<{ value: T; retries: number }> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return { value: await call(), retries: attempt };
    } catch (error) {
      if (attempt >= policy.maxRetries || !isRetryable(error) || deps.signal?.aborted) throw error;
      const delay = retryDelayMs(error, attempt, policy, deps.random);
      deps.onRetry?.(attempt + 1, delay, error);
      await deps.sleep(delay);
    }
  }
}

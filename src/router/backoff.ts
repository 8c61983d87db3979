/** Jittered exponential backoff ("full jitter" over the upper half), honouring Retry-After. */
export interface BackoffPolicy { baseDelayMs: number; maxDelayMs: number }

export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return retryAfterMs;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

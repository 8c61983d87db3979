/**
 * Per-model request-rate limits (requests per minute) by spacing: each model's calls start at
 * least 60000 / rpm ms apart. Spacing never bursts, which matches how providers count RPM
 * over short windows better than a full-minute bucket would.
 */
export interface RateLimiterDeps {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export interface RateLimiter {
  /** Resolves when `model` may start its next call. */
  acquire(model: string): Promise<void>;
}

export function createRateLimiter(rpmFor: (model: string) => number | undefined, deps: RateLimiterDeps): RateLimiter {
  const nextStart = new Map<string, number>();
  return {
    async acquire(model) {
      const rpm = rpmFor(model);
      if (rpm === undefined || rpm <= 0) return;
      const interval = 60_000 / rpm;
      const now = deps.now();
      const start = Math.max(now, nextStart.get(model) ?? now);
      nextStart.set(model, start + interval);
      if (start > now) await deps.sleep(start - now);
    },
  };
}

/**
 * Sliding-window counters (requests, tokens, tool calls per minute): the current fixed window
 * plus the previous one weighted by how much of it still overlaps the sliding window.
 */
export interface RateDecision {
  allowed: boolean;
  retryAfterMs: number;
}

export interface RateLimiter {
  /**
   * Adds `cost` when it fits under `limit` in the window ending now. `force` adds it regardless;
   * a negative forced cost settles a reservation that was too high (the window never goes below 0).
   */
  consume(key: string, limit: number, cost: number, options?: { force?: boolean }): Promise<RateDecision>;
  close(): Promise<void>;
}

/** How long until `cost` fits, given the counts of the current and previous windows. */
export function slidingWindowDecision(current: number, previous: number, elapsed: number, windowMs: number, limit: number, cost: number): RateDecision {
  const weight = Math.max(0, 1 - elapsed / windowMs);
  const estimate = previous * weight + current;
  const needed = Math.max(cost, cost === 0 ? 1 : 0);
  if (estimate + needed <= limit) return { allowed: true, retryAfterMs: 0 };
  let wait: number;
  if (current + needed <= limit && previous > 0) {
    // Wait until the previous window's share has decayed enough.
    const targetWeight = (limit - current - needed) / previous;
    wait = windowMs * (1 - targetWeight) - elapsed;
  } else {
    // Not before the next window; then the current count decays as the previous one.
    const targetWeight = current > 0 ? Math.max(0, (limit - needed) / current) : 1;
    wait = windowMs - elapsed + windowMs * (1 - targetWeight);
  }
  return { allowed: false, retryAfterMs: Math.max(1, Math.ceil(wait)) };
}

interface WindowState {
  index: number;
  current: number;
  previous: number;
}

export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, WindowState>();
  private sweeps = 0;

  constructor(private readonly windowMs = 60_000, private readonly now: () => number = Date.now) {}

  async consume(key: string, limit: number, cost: number, options: { force?: boolean } = {}): Promise<RateDecision> {
    return this.consumeSync(key, limit, cost, options);
  }

  consumeSync(key: string, limit: number, cost: number, options: { force?: boolean } = {}): RateDecision {
    const now = this.now();
    const index = Math.floor(now / this.windowMs);
    let state = this.windows.get(key);
    if (!state) {
      state = { index, current: 0, previous: 0 };
      this.windows.set(key, state);
    } else if (state.index !== index) {
      state.previous = state.index === index - 1 ? state.current : 0;
      state.current = 0;
      state.index = index;
    }
    const decision = slidingWindowDecision(state.current, state.previous, now - index * this.windowMs, this.windowMs, limit, cost);
    if (decision.allowed || options.force) state.current = Math.max(0, state.current + cost);
    if (++this.sweeps % 10_000 === 0) this.sweep(index);
    return options.force ? { allowed: true, retryAfterMs: 0 } : decision;
  }

  private sweep(index: number): void {
    for (const [key, state] of this.windows) if (state.index < index - 1) this.windows.delete(key);
  }

  async close(): Promise<void> {
    this.windows.clear();
  }
}

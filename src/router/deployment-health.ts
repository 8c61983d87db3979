/**
 * Live health per deployment: an exponentially weighted error rate, a window of recent
 * successful latencies (for the p95 that hedging waits), plus its breaker. The
 * router demotes unhealthy mirrors and skips open breakers.
 */
import { CircuitBreaker, type BreakerState } from './circuit-breaker.js';

export interface HealthSnapshot {
  breaker: BreakerState;
  /** Exponentially weighted share of recent calls that failed. */
  errorRate: number;
  samples: number;
}

const ALPHA = 0.2;
/** Recent successful latencies kept per deployment; enough for a stable p95. */
const WINDOW = 128;
/** Fewer successes than this and the p95 is not trusted (hedging stays off). */
const MIN_P95_SAMPLES = 10;

class Entry {
  errorRate = 0;
  samples = 0;
  readonly recent: number[] = [];
  private cursor = 0;
  constructor(readonly breaker: CircuitBreaker) {}

  remember(latencyMs: number): void {
    // A ring buffer: O(1) on the request path; sorting happens only when a p95 is asked for.
    if (this.recent.length < WINDOW) this.recent.push(latencyMs);
    else this.recent[this.cursor] = latencyMs;
    this.cursor = (this.cursor + 1) % WINDOW;
  }
}

export class HealthTracker {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: { failureThreshold?: number; cooldownMs?: number; now?: () => number } = {}) {}

  private entry(deployment: string): Entry {
    let entry = this.entries.get(deployment);
    if (!entry) {
      entry = new Entry(new CircuitBreaker({ failureThreshold: this.options.failureThreshold ?? 5, cooldownMs: this.options.cooldownMs ?? 30_000, now: this.options.now ?? Date.now }));
      this.entries.set(deployment, entry);
    }
    return entry;
  }

  tryAcquire(deployment: string): boolean {
    return this.entry(deployment).breaker.tryAcquire();
  }

  record(deployment: string, ok: boolean, latencyMs: number): void {
    const entry = this.entry(deployment);
    entry.samples += 1;
    const alpha = entry.samples === 1 ? 1 : ALPHA;
    entry.errorRate += alpha * ((ok ? 0 : 1) - entry.errorRate);
    if (ok) {
      entry.remember(latencyMs);
      entry.breaker.recordSuccess();
    } else {
      entry.breaker.recordFailure();
    }
  }

  /** An attempt that ended with no verdict on the deployment (aborted): frees a half-open probe. */
  release(deployment: string): void {
    this.entry(deployment).breaker.release();
  }

  /** What the router currently believes of a deployment (undefined until it was called). */
  snapshot(deployment: string): HealthSnapshot | undefined {
    const entry = this.entries.get(deployment);
    return entry ? { breaker: entry.breaker.current(), errorRate: entry.errorRate, samples: entry.samples } : undefined;
  }

  /** p95 of recent successful latencies (nearest rank), or undefined while too few are known. */
  p95LatencyMs(deployment: string): number | undefined {
    const recent = this.entries.get(deployment)?.recent;
    if (!recent || recent.length < MIN_P95_SAMPLES) return undefined;
    const sorted = [...recent].sort((a, b) => a - b);
    return sorted[Math.ceil(0.95 * sorted.length) - 1];
  }

  /**
   * How far to push a deployment down its model's mirror list: 2 while its breaker is open,
   * 1 while most recent calls fail, else 0. Read per request, so it allocates nothing and an
   * unseen deployment stays unseen.
   */
  demotion(deployment: string): number {
    const entry = this.entries.get(deployment);
    if (!entry) return 0;
    return (entry.breaker.current() === 'open' ? 2 : 0) + (entry.errorRate > 0.5 ? 1 : 0);
  }
}

/**
 * Live health per deployment: exponentially weighted latency and error rate, plus its
 * breaker. The router demotes unhealthy mirrors and skips open breakers.
 */
import { CircuitBreaker, type BreakerState } from './circuit-breaker.js';

export interface HealthSnapshot { latencyMs: number; errorRate: number; breaker: BreakerState; samples: number }

const ALPHA = 0.2;

class Entry {
  latencyMs = 0;
  errorRate = 0;
  samples = 0;
  constructor(readonly breaker: CircuitBreaker) {}
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
      entry.latencyMs += alpha * (latencyMs - entry.latencyMs);
      entry.breaker.recordSuccess();
    } else {
      entry.breaker.recordFailure();
    }
  }

  snapshot(deployment: string): HealthSnapshot {
    const entry = this.entry(deployment);
    return { latencyMs: entry.latencyMs, errorRate: entry.errorRate, breaker: entry.breaker.current(), samples: entry.samples };
  }
}

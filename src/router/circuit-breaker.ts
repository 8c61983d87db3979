/**
 * Per-deployment circuit breaker: opens after `failureThreshold` consecutive failures,
 * rejects while open, lets one probe through after `cooldownMs` (half-open), closes on a
 * successful probe and reopens on a failed one. The clock is injected.
 */
export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions { failureThreshold: number; cooldownMs: number; now: () => number }

export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private state: BreakerState = 'closed';
  private probeInFlight = false;

  constructor(private readonly options: BreakerOptions) {}

  current(): BreakerState {
    if (this.state === 'open' && this.options.now() - this.openedAt >= this.options.cooldownMs) this.state = 'half-open';
    return this.state;
  }

  /** Whether a call may go through now; in half-open only one probe at a time. */
  tryAcquire(): boolean {
    const state = this.current();
    if (state === 'closed') return true;
    if (state === 'open' || this.probeInFlight) return false;
    this.probeInFlight = true;
    return true;
  }

  recordSuccess(): void {
    this.failures = 0;
    this.probeInFlight = false;
    this.state = 'closed';
  }

  /**
   * The call ended without telling anything about the deployment (the client went away, or a
   * hedge won elsewhere): a half-open probe slot is freed so the next caller can probe.
   */
  release(): void {
    this.probeInFlight = false;
  }

  recordFailure(): void {
    this.probeInFlight = false;
    this.failures += 1;
    if (this.state === 'half-open' || this.failures >= this.options.failureThreshold) {
      this.state = 'open';
      this.openedAt = this.options.now();
    }
  }
}

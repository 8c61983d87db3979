/** Runs an attempt over a target's chain with the router's retry, fallback, breaker and hedging rules. */
import type { Deployment } from '../core/provider.js';
import { executeHedged, type HedgeOptions } from '../router/hedge-chain.js';
import type { Routing } from './routing.js';
import type { ExecutionMeta, ResolvedTarget } from './types.js';
import type { CancelSignal } from '../core/cancel-signal.js';

export interface RunChainInput<T> {
  target: ResolvedTarget;
  routing: Routing;
  signal?: CancelSignal;
  attempt: (deployment: Deployment, signal?: CancelSignal) => Promise<T>;
}

/** A hedge's losing stream is closed so its upstream connection is released. */
function discardValue(value: unknown): void {
  if (typeof value === 'object' && value !== null && Symbol.asyncIterator in value) {
    const iterator = (value as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    iterator.return?.().catch(() => undefined);
  }
}

export async function runChain<T>(input: RunChainInput<T>): Promise<{ value: T; meta: ExecutionMeta }> {
  const retry = input.target.route?.retry ?? { maxAttempts: 2, baseDelayMs: 100, maxDelayMs: 5_000 };
  const health = input.routing.health;
  // The route's hedge waits the first candidate's live p95 (unknown until it has answered a few times).
  const hedge: HedgeOptions<T> | undefined = input.target.route?.hedge
    ? { delayMs: (deployment) => health.p95LatencyMs(deployment.name), discard: discardValue }
    : undefined;
  const result = await executeHedged({ chain: input.target.chain, attempt: input.attempt, policy: retry, health, signal: input.signal, hedge });
  return { value: result.value, meta: { deployment: result.deployment, attempts: result.attempts, retries: result.retries, fallbacks: result.fallbacks } };
}

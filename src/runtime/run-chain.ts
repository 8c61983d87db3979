/** Runs an attempt over a target's chain with the router's retry, fallback, breaker and hedging rules. */
import type { Deployment } from '../core/provider.js';
import { executeHedged, type HedgeOptions } from '../router/hedge-chain.js';
import type { Routing } from './routing.js';
import type { ResolvedTarget } from './types.js';
import { executeChain, type ChainResult } from '../router/execute-chain.js';
import type { CancelSignal } from '../core/cancel-signal.js';

export interface RunChainInput<T> {
  target: ResolvedTarget;
  routing: Routing;
  signal?: CancelSignal;
  attempt: (deployment: Deployment, signal?: CancelSignal) => Promise<T>;
}

const DEFAULT_RETRY = { maxAttempts: 2, baseDelayMs: 100, maxDelayMs: 5_000 };

/** A hedge's losing stream is closed so its upstream connection is released. */
function discardValue(value: unknown): void {
  if (typeof value === 'object' && value !== null && Symbol.asyncIterator in value) {
    const iterator = (value as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    iterator.return?.().catch(() => undefined);
  }
}

/**
 * The chain's outcome: the value and what the audit records of how it was reached. Without a
 * hedge the plain chain runs directly: each async layer and result copy costs every request.
 */
export function runChain<T>(input: RunChainInput<T>): Promise<ChainResult<T>> {
  const retry = input.target.route?.retry ?? DEFAULT_RETRY;
  const health = input.routing.health;
  const chain = input.target.chain;
  if (!input.target.route?.hedge) return executeChain({ chain, attempt: input.attempt, policy: retry, health, signal: input.signal });
  // The route's hedge waits the first candidate's live p95 (unknown until it has answered a few times).
  const hedge: HedgeOptions<T> = { delayMs: (deployment) => health.p95LatencyMs(deployment.name), discard: discardValue };
  return executeHedged({ chain, attempt: input.attempt, policy: retry, health, signal: input.signal, hedge });
}

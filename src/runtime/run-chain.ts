/** Runs an attempt over a target's chain with the router's retry, fallback and breaker rules. */
import type { Deployment } from '../core/provider.js';
import { executeChain } from '../router/execute-chain.js';
import type { Routing } from './routing.js';
import type { ExecutionMeta, ResolvedTarget } from './types.js';

export interface RunChainInput<T> {
  target: ResolvedTarget;
  routing: Routing;
  signal?: AbortSignal;
  attempt: (deployment: Deployment, signal?: AbortSignal) => Promise<T>;
}

export async function runChain<T>(input: RunChainInput<T>): Promise<{ value: T; meta: ExecutionMeta }> {
  const retry = input.target.route?.retry ?? { maxAttempts: 2, baseDelayMs: 100, maxDelayMs: 5_000 };
  const result = await executeChain({ chain: input.target.chain, attempt: input.attempt, policy: retry, health: input.routing.health, signal: input.signal });
  return { value: result.value, meta: { deployment: result.deployment, attempts: result.attempts, retries: result.retries, fallbacks: result.fallbacks } };
}

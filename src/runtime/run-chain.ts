/** Runs an attempt over a target's chain with the router's retry, fallback and breaker rules. */
import { ArbiterError, isArbiterError } from '../core/errors.js';
import type { Deployment } from '../core/provider.js';
import type { Routing } from './routing.js';
import type { AttemptRecord, ExecutionMeta, ResolvedTarget } from './types.js';

export interface RunChainInput<T> {
  target: ResolvedTarget;
  routing: Routing;
  signal?: AbortSignal;
  attempt: (deployment: Deployment, signal?: AbortSignal) => Promise<T>;
}

export async function runChain<T>(input: RunChainInput<T>): Promise<{ value: T; meta: ExecutionMeta }> {
  const attempts: AttemptRecord[] = [];
  const errors: ArbiterError[] = [];
  for (const deployment of input.target.chain) {
    const started = performance.now();
    try {
      const value = await input.attempt(deployment, input.signal);
      attempts.push({ deployment: deployment.name, ok: true, latencyMs: performance.now() - started });
      return { value, meta: { deployment, attempts, retries: 0, fallbacks: attempts.length - 1 } };
    } catch (error) {
      const arbiterError = isArbiterError(error) ? error : new ArbiterError('upstream_error', (error as Error).message, { cause: error });
      attempts.push({ deployment: deployment.name, ok: false, errorCode: arbiterError.code, status: arbiterError.status, latencyMs: performance.now() - started });
      errors.push(arbiterError);
      if (!arbiterError.retryable) throw arbiterError;
    }
  }
  if (errors.length === 1) throw errors[0]!;
  throw new ArbiterError('all_targets_failed', `All ${errors.length} deployments failed: ${errors.map((e) => e.message).join('; ')}`, { attempts: errors });
}

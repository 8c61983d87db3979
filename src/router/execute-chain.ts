/**
 * Runs attempts down an ordered chain: retryable failures (429, 5xx, timeouts, connection
 * errors) retry the same deployment with jittered backoff honouring Retry-After, then fall
 * back to the next; a client-caused 4xx is returned at once. Open breakers are skipped.
 */
import { ArbiterError, isArbiterError } from '../core/errors.js';
import type { Deployment } from '../core/provider.js';
import { backoffDelay, type BackoffPolicy } from './backoff.js';
import type { HealthTracker } from './deployment-health.js';
import type { CancelSignal } from '../core/cancel-signal.js';

export interface AttemptLog {
  deployment: string;
  ok: boolean;
  errorCode?: string;
  status?: number;
  latencyMs: number;
  /** When the attempt began, in ms after the chain began: a waterfall needs the backoff gaps too. */
  startMs?: number;
}

export interface ChainPolicy extends BackoffPolicy {
  /** Attempts per deployment, first try included. */
  maxAttempts: number;
}

export interface ExecuteChainInput<T> {
  chain: readonly Deployment[];
  attempt: (deployment: Deployment, signal?: CancelSignal) => Promise<T>;
  policy: ChainPolicy;
  health?: HealthTracker;
  signal?: CancelSignal;
  sleep?: (ms: number, signal?: CancelSignal) => Promise<void>;
  random?: () => number;
  now?: () => number;
  /** The `now()` reading attempts' `startMs` count from (a hedge's second branch shares the first's). */
  origin?: number;
}

export interface ChainResult<T> {
  value: T;
  deployment: Deployment;
  attempts: AttemptLog[];
  retries: number;
  fallbacks: number;
}

export const sleepFor = (ms: number, signal?: CancelSignal): Promise<void> => new Promise((resolve, reject) => {
  if (ms <= 0) return resolve();
  const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
  const onAbort = () => { clearTimeout(timer); reject(signal?.reason ?? new Error('aborted')); };
  signal?.addEventListener('abort', onAbort, { once: true });
});

function asArbiterError(error: unknown): ArbiterError {
  return isArbiterError(error) ? error : new ArbiterError('upstream_error', error instanceof Error ? error.message : String(error), { cause: error, retryable: true });
}

/** All failed: the same status everywhere keeps that status (a 429 stays a 429 with its Retry-After); otherwise 502. */
function aggregate(errors: ArbiterError[], chainLength: number): ArbiterError {
  const last = errors[errors.length - 1];
  if (!last) {
    return new ArbiterError('no_route_candidates', chainLength === 0
      ? 'No deployment satisfies this route\'s policy (see x-arbiter-reason, or `arbiter route --explain`).'
      : `No deployment is available for this request: the circuit breakers of all ${chainLength} candidates are open.`);
  }
  if (errors.length === 1 || errors.every((error) => error.status === last.status)) {
    return new ArbiterError(last.code, last.message, { status: last.status, retryAfterMs: last.retryAfterMs, upstream: last.upstream, attempts: errors, param: last.param, retryable: last.retryable });
  }
  const summary = errors.map((error) => `${error.upstream?.deployment ?? '?'}: ${error.status} ${error.message}`).join('; ');
  return new ArbiterError('all_targets_failed', `All ${errors.length} attempts failed: ${summary}`, { attempts: errors });
}

export async function executeChain<T>(input: ExecuteChainInput<T>): Promise<ChainResult<T>> {
  const sleep = input.sleep ?? sleepFor;
  const random = input.random ?? Math.random;
  const now = input.now ?? (() => performance.now());
  const origin = input.origin ?? now();
  const attempts: AttemptLog[] = [];
  const errors: ArbiterError[] = [];
  let retries = 0;
  let deploymentsTried = 0;
  for (const deployment of input.chain) {
    if (input.health && !input.health.tryAcquire(deployment.name)) continue;
    deploymentsTried += 1;
    for (let attemptIndex = 0; attemptIndex < input.policy.maxAttempts; attemptIndex++) {
      if (input.signal?.aborted) {
        input.health?.release(deployment.name);
        throw asArbiterError(input.signal.reason);
      }
      const started = now();
      try {
        const value = await input.attempt(deployment, input.signal);
        const latencyMs = now() - started;
        attempts.push({ deployment: deployment.name, ok: true, latencyMs, startMs: started - origin });
        input.health?.record(deployment.name, true, latencyMs);
        return { value, deployment, attempts, retries, fallbacks: deploymentsTried - 1 };
      } catch (caught) {
        const error = asArbiterError(caught);
        const latencyMs = now() - started;
        attempts.push({ deployment: deployment.name, ok: false, errorCode: error.code, status: error.status, latencyMs, startMs: started - origin });
        if (input.signal?.aborted || error.code === 'client_closed') {
          // No verdict on the deployment; a half-open probe slot must not stay taken.
          input.health?.release(deployment.name);
          throw error;
        }
        if (!error.retryable) {
          // The caller's fault, not the deployment's: it answered, so it counts as healthy.
          input.health?.record(deployment.name, true, latencyMs);
          throw error;
        }
        input.health?.record(deployment.name, false, latencyMs);
        errors.push(error);
        const lastTry = attemptIndex === input.policy.maxAttempts - 1;
        // A Retry-After longer than we are willing to wait means: try elsewhere now.
        if (lastTry || (error.retryAfterMs !== undefined && error.retryAfterMs > input.policy.maxDelayMs)) break;
        if (!input.health || input.health.tryAcquire(deployment.name)) {
          retries += 1;
          try {
            await sleep(backoffDelay(attemptIndex, input.policy, random, error.retryAfterMs), input.signal);
          } catch (aborted) {
            input.health?.release(deployment.name);
            throw asArbiterError(aborted);
          }
        } else {
          break;
        }
      }
    }
  }
  throw aggregate(errors, input.chain.length);
}

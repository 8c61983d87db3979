/**
 * Hedging: when the first candidate has not answered within its p95 latency, the rest of the
 * chain starts beside it and whichever succeeds first wins; the other branch is aborted, and
 * a value it still produces is discarded (a stream gets closed). Without a p95 for the first
 * candidate, or with a single candidate, this is plain executeChain.
 *
 * A failure is not a reason to wait: if the first candidate fails before the hedge fires,
 * the rest starts at once (an ordinary fallback); a client-caused error ends both branches.
 */
import { ArbiterError, isArbiterError } from '../core/errors.js';
import type { Deployment } from '../core/provider.js';
import { executeChain, sleepFor, type ChainResult, type ExecuteChainInput } from './execute-chain.js';
import type { CancelSignal } from '../core/cancel-signal.js';

export interface HedgeOptions<T> {
  /** How long to wait for the first candidate before starting the rest; undefined = never hedge. */
  delayMs(deployment: Deployment): number | undefined;
  /** Disposes of a value the losing branch produced anyway (e.g. closes its stream). */
  discard?(value: T): void;
}

export interface HedgedChainInput<T> extends ExecuteChainInput<T> {
  hedge?: HedgeOptions<T>;
}

export interface HedgedChainResult<T> extends ChainResult<T> {
  /** True when the second branch was started (whichever of the two won). */
  hedged: boolean;
}

type Branch = 'first' | 'rest';

function linkedController(parent: CancelSignal | undefined): AbortController {
  const controller = new AbortController();
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener('abort', () => controller.abort(parent.reason), { once: true });
  return controller;
}

const isClientCaused = (error: unknown): boolean => isArbiterError(error) && !error.retryable;

export async function executeHedged<T>(input: HedgedChainInput<T>): Promise<HedgedChainResult<T>> {
  const [first, ...rest] = input.chain;
  const delay = first && input.hedge && rest.length > 0 ? input.hedge.delayMs(first) : undefined;
  if (!first || delay === undefined) return { ...await executeChain(input), hedged: false };

  const sleep = input.sleep ?? sleepFor;
  const origin = (input.now ?? (() => performance.now()))();
  const controllers: Record<Branch, AbortController> = { first: linkedController(input.signal), rest: linkedController(input.signal) };
  const timer = new AbortController();
  const running = new Set<Branch>();
  let restStarted = false;
  let settled = false;
  let lastError: unknown;

  return new Promise<HedgedChainResult<T>>((resolve, reject) => {
    const loserAborted = () => new ArbiterError('upstream_error', 'Hedge lost: the other branch answered first.', { retryable: true });

    const win = (branch: Branch, result: ChainResult<T>) => {
      settled = true;
      timer.abort();
      const other: Branch = branch === 'first' ? 'rest' : 'first';
      if (running.has(other)) controllers[other].abort(loserAborted());
      resolve(branch === 'first'
        ? { ...result, hedged: restStarted }
        // The rest of the chain starts one deployment further down: that is a fallback.
        : { ...result, fallbacks: result.fallbacks + 1, hedged: true });
    };

    const fail = (error: unknown) => {
      settled = true;
      timer.abort();
      for (const branch of running) controllers[branch].abort(loserAborted());
      reject(error);
    };

    const start = (branch: Branch) => {
      running.add(branch);
      if (branch === 'rest') restStarted = true;
      const chain = branch === 'first' ? [first] : rest;
      executeChain({ ...input, chain, signal: controllers[branch].signal, origin }).then(
        (result) => {
          running.delete(branch);
          if (settled) input.hedge?.discard?.(result.value);
          else win(branch, result);
        },
        (error: unknown) => {
          running.delete(branch);
          if (settled) return;
          lastError = error;
          if (input.signal?.aborted || isClientCaused(error)) return fail(error);
          if (!restStarted) return start('rest');
          if (running.size === 0) fail(lastError);
        },
      );
    };

    start('first');
    sleep(delay, timer.signal).then(() => {
      if (!settled && !restStarted) start('rest');
    }, () => undefined);
  });
}

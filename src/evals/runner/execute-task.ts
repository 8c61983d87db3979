/**
 * One task: replay the cached answer or call the model (rate limit, budget reservation,
 * retries), grade it, and turn it into a result row. Failures become rows too: a call that
 * still fails after retries is a failed item with its error code.
 */
import type { ChatCallResult, ChatClient } from '../../core/chat-client.js';
import type { ChatRequest } from '../../core/chat-request.js';
import type { ChatResponse } from '../../core/chat-response.js';
import { isArbiterError } from '../../core/errors.js';
import type { NanoUsd } from '../../core/money.js';
import type { Store } from '../../store/database.js';
import { getCachedEvalResponse, type CachedEvalResponse } from '../../store/eval-cache.js';
import type { EvalResultRecord } from '../../store/eval-results.js';
import type { Grade, GraderServices } from '../types.js';
import type { Budget } from './budget.js';
import type { EvalTask } from './plan-tasks.js';
import type { RateLimiter } from './rate-limiter.js';
import { evalRequestHash } from './request-hash.js';
import { callWithRetries, type RetryDeps, type RetryPolicy } from './retry.js';

export interface TaskDeps {
  runId: string;
  store: Store;
  chatClient: ChatClient;
  useCache: boolean;
  seed?: number;
  budget: Budget;
  estimateCostNano: (model: string, request: ChatRequest) => NanoUsd;
  rateLimiter: RateLimiter;
  retryPolicy: RetryPolicy;
  retryDeps: Omit<RetryDeps, 'onRetry'>;
  onRetry?: (model: string, attempt: number, delayMs: number, error: unknown) => void;
  signal?: AbortSignal;
  services?: GraderServices;
  now: () => number;
}

export type TaskOutcome =
  | { type: 'graded'; record: EvalResultRecord; cacheEntry?: CachedEvalResponse; paid: boolean }
  | { type: 'over-budget' }
  /** The run was cancelled while this call was in flight: nothing to record, resume redoes it. */
  | { type: 'cancelled' };

export function buildRequest(task: EvalTask, seed: number | undefined): ChatRequest {
  // `Omit` over the loose request type keeps only its index signature, so the item's request
  // is typed loosely; it was built as a ChatRequest without `model`.
  const request = { ...task.item.request, model: task.model } as ChatRequest;
  if (seed !== undefined && request.seed == null) request.seed = seed;
  return request;
}

async function gradeSafely(task: EvalTask, response: ChatResponse, deps: TaskDeps): Promise<{ grade: Grade; failed: boolean }> {
  try {
    return { grade: await task.suite.graderFor(task.item).grade({ item: task.item, response, signal: deps.signal, ...(deps.services ? { services: deps.services } : {}) }), failed: false };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { grade: { pass: false, score: 0, reason: `grader failed: ${message}` }, failed: true };
  }
}

function baseRecord(task: EvalTask, deps: TaskDeps, requestHash: string): EvalResultRecord {
  return {
    runId: deps.runId, suite: task.suite.name, itemId: task.item.id, kind: task.item.kind, category: task.item.category ?? null,
    model: task.model, repeat: task.repeat, requestHash, response: null, promptTokens: 0, completionTokens: 0, cachedTokens: 0,
    reasoningTokens: 0, costNano: null, latencyMs: null, ttftMs: null, fromCache: false, pass: false, score: 0, reason: '',
    details: null, errorCode: null, createdAt: deps.now(),
  };
}

async function answeredRecord(task: EvalTask, deps: TaskDeps, base: EvalResultRecord, answer: { response: ChatResponse; costNano: number | null; latencyMs: number; ttftMs: number | null }): Promise<EvalResultRecord> {
  const { grade, failed } = await gradeSafely(task, answer.response, deps);
  const usage = answer.response.usage;
  return {
    ...base,
    response: answer.response,
    promptTokens: usage?.prompt_tokens ?? 0,
    completionTokens: usage?.completion_tokens ?? 0,
    cachedTokens: usage?.prompt_tokens_details?.cached_tokens ?? 0,
    reasoningTokens: usage?.completion_tokens_details?.reasoning_tokens ?? 0,
    costNano: answer.costNano,
    latencyMs: answer.latencyMs,
    ttftMs: answer.ttftMs,
    pass: grade.pass,
    score: grade.score,
    reason: grade.reason,
    details: grade.details ?? null,
    errorCode: failed ? 'grader_error' : null,
  };
}

export async function executeTask(task: EvalTask, deps: TaskDeps): Promise<TaskOutcome> {
  const request = buildRequest(task, deps.seed);
  const requestHash = evalRequestHash(task.model, request, task.repeat);
  const base = baseRecord(task, deps, requestHash);

  if (deps.useCache) {
    const cached = await getCachedEvalResponse(deps.store, requestHash);
    if (cached) {
      const record = await answeredRecord(task, deps, { ...base, fromCache: true }, cached);
      return { type: 'graded', record, paid: false };
    }
  }

  const reservation = deps.budget.tryReserve(deps.estimateCostNano(task.model, request));
  if (!reservation) return { type: 'over-budget' };
  let call: { value: ChatCallResult };
  try {
    call = await callWithRetries(async () => {
      await deps.rateLimiter.acquire(task.model);
      return deps.chatClient.chat(request, { signal: deps.signal });
    }, deps.retryPolicy, { ...deps.retryDeps, onRetry: (attempt, delayMs, error) => deps.onRetry?.(task.model, attempt, delayMs, error) });
  } catch (error) {
    deps.budget.settle(reservation, null);
    if (deps.signal?.aborted) return { type: 'cancelled' };
    const code = isArbiterError(error) ? error.code : 'internal_error';
    const message = error instanceof Error ? error.message : String(error);
    return { type: 'graded', record: { ...base, reason: `call failed: ${message}`, errorCode: code }, paid: false };
  }
  deps.budget.settle(reservation, call.value.costNano);
  const answer = { response: call.value.response, costNano: call.value.costNano, latencyMs: call.value.latencyMs, ttftMs: call.value.ttftMs ?? null };
  const record = await answeredRecord(task, deps, base, answer);
  const cacheEntry: CachedEvalResponse = {
    requestHash, model: task.model, response: answer.response, deployment: call.value.deployment,
    costNano: answer.costNano, latencyMs: answer.latencyMs, ttftMs: answer.ttftMs, createdAt: deps.now(),
  };
  return { type: 'graded', record, cacheEntry, paid: true };
}

/**
 * `runEval`: models × suites × items × repeats through an injected ChatClient. One pool of
 * workers per provider key (so `concurrency` is per provider), each taking the next task of
 * its models in interleaved order; results are written in batches; fail-fast and the budget
 * decide what is never started. The summary's metrics are computed from the stored rows, the
 * same way `arbiter report` computes them.
 */
import { randomBytes } from 'node:crypto';
import { logger } from '../../telemetry/logger.js';
import { createEvalRun, finishEvalRun, getEvalRun, markEvalRunResumed, type EvalRunStatus } from '../../store/eval-runs.js';
import { loadEvalResults, type EvalResultRecord } from '../../store/eval-results.js';
import { computeModelSuiteMetrics } from '../stats/model-metrics.js';
import { createBudget } from './budget.js';
import { executeTask, type TaskDeps } from './execute-task.js';
import { createFailFast, type FailFast } from './fail-fast.js';
import { planTasks, taskKey, type EvalTask } from './plan-tasks.js';
import { createRateLimiter } from './rate-limiter.js';
import { createResultWriter } from './result-writer.js';
import { defaultRetryPolicy } from './retry.js';
import type { FailFastSkip, ModelProgress, RunEvalOptions, RunSummary } from './types.js';

const DEFAULT_MIN_SAMPLE = 10;

export function newEvalRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  return `run-${stamp}-${randomBytes(3).toString('hex')}`;
}

interface RunState {
  done: number;
  passes: number;
  errors: number;
  cacheHits: number;
  paidCalls: number;
  retries: number;
  graded: number;
  perModel: Record<string, ModelProgress>;
  maxCostByModel: Map<string, number>;
  pending: Map<string, number>;
  skips: FailFastSkip[];
  stopScheduling: boolean;
}

const pairKey = (suite: string, model: string) => `${suite}\u0000${model}`;

async function openRun(options: RunEvalOptions, now: () => number, simulatedModels: string[]): Promise<{ runId: string; startedAt: number; previous: EvalResultRecord[] }> {
  const { store } = options;
  if (options.resumeRunId) {
    const run = await getEvalRun(store, options.resumeRunId);
    if (!run) throw new Error(`no eval run '${options.resumeRunId}' to resume`);
    await markEvalRunResumed(store, run.id);
    return { runId: run.id, startedAt: run.startedAt, previous: await loadEvalResults(store, run.id) };
  }
  const runId = (options.newRunId ?? (() => newEvalRunId()))();
  const startedAt = now();
  await createEvalRun(store, {
    id: runId, startedAt, simulated: simulatedModels.length > 0,
    options: { ...(options.recordedOptions ?? {}), modelNames: options.models, suiteNames: options.suites.map((suite) => suite.name), simulatedModels },
  });
  return { runId, startedAt, previous: [] };
}

function seedFromPrevious(previous: EvalResultRecord[], failFast: FailFast | undefined): Set<string> {
  const done = new Set<string>();
  for (const record of previous) {
    // Rows with an error code are redone: the item was never really graded.
    if (record.errorCode !== null) continue;
    done.add(taskKey(record));
    failFast?.record(record.suite, record.model, { pass: record.pass, costNano: record.costNano });
  }
  return done;
}

export async function runEval(options: RunEvalOptions): Promise<RunSummary> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const providerOf = options.providerOf ?? ((model: string) => model);
  const simulatedModels = options.models.filter((model) => options.isSimulated?.(model) ?? false);
  const failFast = options.failFast ? createFailFast({ minSample: options.minSample ?? DEFAULT_MIN_SAMPLE, minPass: options.minPass }) : undefined;
  const budget = createBudget(options.budgetNano);
  const writer = createResultWriter(options.store, options.batchSize ?? 25, { now });

  const { runId, startedAt, previous } = await openRun(options, now, simulatedModels);
  const alreadyDone = seedFromPrevious(previous, failFast);
  const tasks = planTasks({ suites: options.suites, models: options.models, repeat: options.repeat ?? 1, limit: options.limit, seed: options.seed })
    .filter((task) => !alreadyDone.has(taskKey(task)));
  const state: RunState = {
    done: 0, passes: 0, errors: 0, cacheHits: 0, paidCalls: 0, retries: 0, graded: 0, perModel: Object.create(null) as RunState['perModel'],
    maxCostByModel: new Map(), pending: new Map(), skips: [], stopScheduling: false,
  };
  for (const model of options.models) state.perModel[model] = { done: 0, passes: 0, spentNano: 0 };
  for (const task of tasks) state.pending.set(pairKey(task.suite.name, task.model), (state.pending.get(pairKey(task.suite.name, task.model)) ?? 0) + 1);

  const total = () => tasks.length - state.skips.reduce((sum, skip) => sum + skip.itemsSkipped, 0);
  const emitProgress = () => options.onProgress?.({
    type: 'progress', done: state.done, total: total(), passes: state.passes, errors: state.errors,
    cacheHits: state.cacheHits, spentNano: budget.spentNano, perModel: state.perModel,
  });

  const applyFailFast = (suite: string) => {
    if (!failFast) return;
    for (const stopped of failFast.check(suite)) {
      const itemsSkipped = state.pending.get(pairKey(suite, stopped.model)) ?? 0;
      const skip: FailFastSkip = {
        suite, model: stopped.model, reason: stopped.reason, detail: stopped.detail, gradedBeforeStop: stopped.atTotal,
        itemsSkipped, estimatedSavedNano: Math.round(failFast.averageCostNano(suite, stopped.model) * itemsSkipped),
      };
      // Dominated after its last item: nothing was skipped, so nothing to report.
      if (itemsSkipped === 0) continue;
      state.skips.push(skip);
      logger.info({ runId, suite, model: stopped.model, detail: stopped.detail, itemsSkipped }, 'fail-fast: model dominated, skipping the rest of the suite');
      options.onProgress?.({ type: 'dominated', suite, model: stopped.model, detail: stopped.detail, itemsSkipped });
    }
  };
  // A resumed run may already hold enough evidence to stop some pairs.
  for (const suite of options.suites) applyFailFast(suite.name);

  const deps: TaskDeps = {
    runId, store: options.store, chatClient: options.chatClient, useCache: options.useCache ?? true, seed: options.seed, budget,
    estimateCostNano: (model, request) => options.estimateCostNano?.(model, request)
      ?? state.maxCostByModel.get(model) ?? Math.max(0, ...state.maxCostByModel.values()),
    rateLimiter: createRateLimiter(options.rateLimitRpm ?? (() => undefined), { now, sleep }),
    retryPolicy: { ...defaultRetryPolicy, ...options.retry },
    retryDeps: { sleep, random, signal: options.signal },
    onRetry: (model, attempt, delayMs, error) => {
      state.retries += 1;
      const code = error instanceof Error && 'code' in error ? String(error.code) : 'error';
      options.onProgress?.({ type: 'retry', model, attempt, delayMs, code });
    },
    signal: options.signal,
    services: options.services,
    now,
  };

  const runTask = async (task: EvalTask): Promise<void> => {
    const outcome = await executeTask(task, deps);
    if (outcome.type === 'cancelled') return;
    if (outcome.type === 'over-budget') {
      if (!state.stopScheduling && options.budgetNano !== undefined) {
        options.onProgress?.({ type: 'budget-exhausted', spentNano: budget.spentNano, limitNano: options.budgetNano });
      }
      state.stopScheduling = true;
      return;
    }
    const { record } = outcome;
    await writer.add(record, outcome.cacheEntry);
    state.done += 1;
    state.graded += 1;
    if (record.pass) state.passes += 1;
    if (record.errorCode !== null) state.errors += 1;
    if (record.fromCache) state.cacheHits += 1;
    const progress = state.perModel[task.model] as ModelProgress;
    progress.done += 1;
    if (record.pass) progress.passes += 1;
    if (outcome.paid) {
      state.paidCalls += 1;
      progress.spentNano += record.costNano ?? 0;
      state.maxCostByModel.set(task.model, Math.max(state.maxCostByModel.get(task.model) ?? 0, record.costNano ?? 0));
    }
    failFast?.record(task.suite.name, task.model, { pass: record.pass, costNano: record.costNano });
    applyFailFast(task.suite.name);
    emitProgress();
  };

  let failure: unknown;
  const queues = new Map<string, EvalTask[]>();
  for (const task of tasks) {
    const key = providerOf(task.model);
    const queue = queues.get(key);
    if (queue) queue.push(task);
    else queues.set(key, [task]);
  }
  const worker = async (queue: EvalTask[], cursor: { next: number }) => {
    while (!state.stopScheduling && !options.signal?.aborted) {
      const task = queue[cursor.next];
      if (!task) return;
      cursor.next += 1;
      const pair = pairKey(task.suite.name, task.model);
      if (failFast?.isStopped(task.suite.name, task.model)) continue;
      state.pending.set(pair, (state.pending.get(pair) ?? 1) - 1);
      try {
        await runTask(task);
      } catch (error) {
        // A store failure ends the run for every worker; what was graded is still flushed.
        failure ??= error;
        state.stopScheduling = true;
      }
    }
  };
  emitProgress();
  const concurrency = Math.max(1, options.concurrency ?? 4);
  await Promise.all([...queues.values()].flatMap((queue) => {
    const cursor = { next: 0 };
    return Array.from({ length: concurrency }, () => worker(queue, cursor));
  }));
  try {
    await writer.flush();
  } catch (error) {
    failure ??= error;
  }

  const status: EvalRunStatus = failure !== undefined ? 'failed'
    : options.signal?.aborted ? 'aborted'
      : budget.exhausted ? 'budget_exhausted' : 'completed';
  const rows = await loadEvalResults(options.store, runId);
  const skippedCount = state.skips.reduce((sum, skip) => sum + skip.itemsSkipped, 0);
  const summary: RunSummary = {
    runId, status, simulated: simulatedModels.length > 0, simulatedModels, startedAt, finishedAt: now(),
    models: [...options.models], suites: options.suites.map((suite) => suite.name),
    planned: tasks.length + alreadyDone.size, graded: state.graded, resumedFrom: alreadyDone.size,
    cacheHits: state.cacheHits, paidCalls: state.paidCalls, retries: state.retries, errors: state.errors, spentNano: budget.spentNano,
    metrics: computeModelSuiteMetrics(rows),
  };
  if (options.budgetNano !== undefined) {
    summary.budget = { limitNano: options.budgetNano, spentNano: budget.spentNano, exhausted: budget.exhausted, unscheduled: Math.max(0, tasks.length - state.graded - skippedCount) };
  }
  if (failFast) {
    summary.failFast = { skipped: state.skips, itemsSkipped: skippedCount, estimatedSavedNano: state.skips.reduce((sum, skip) => sum + skip.estimatedSavedNano, 0) };
  }
  const { metrics: _metrics, ...stored } = summary;
  await finishEvalRun(options.store, runId, { status, finishedAt: summary.finishedAt, summary: stored });
  if (failure !== undefined) throw failure;
  return summary;
}

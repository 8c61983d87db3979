/** What `runEval` takes and gives back. */
import type { ChatClient } from '../../core/chat-client.js';
import type { ChatRequest } from '../../core/chat-request.js';
import type { NanoUsd } from '../../core/money.js';
import type { Store } from '../../store/database.js';
import type { EvalRunStatus } from '../../store/eval-runs.js';
import type { ModelSuiteMetrics } from '../stats/model-metrics.js';
import type { GraderServices, Suite } from '../types.js';
import type { RetryPolicy } from './retry.js';

export interface RunEvalOptions {
  store: Store;
  chatClient: ChatClient;
  suites: readonly Suite[];
  /** As the user wrote them; each becomes `request.model`. */
  models: readonly string[];
  limit?: number;
  repeat?: number;
  seed?: number;
  /** Calls in flight per provider key (default 4). */
  concurrency?: number;
  /** Groups models that share a provider's concurrency; default: one key per model. */
  providerOf?: (model: string) => string;
  /** Requests per minute per model. */
  rateLimitRpm?: (model: string) => number | undefined;
  budgetNano?: NanoUsd;
  /**
   * What one call will cost, reserved against the budget before it starts. Default: the
   * highest cost seen for that model so far in this run (0 before its first answer).
   */
  estimateCostNano?: (model: string, request: ChatRequest) => NanoUsd | undefined;
  failFast?: boolean;
  /** Fail-fast floor on the pass rate (0..1). */
  minPass?: number;
  /** Graded attempts per (model, suite) before fail-fast judges it (default 10). */
  minSample?: number;
  retry?: Partial<RetryPolicy>;
  /** Replay cached answers (default true). */
  useCache?: boolean;
  resumeRunId?: string;
  /** Results per write transaction (default 25). */
  batchSize?: number;
  isSimulated?: (model: string) => boolean;
  /** Sandbox / judge handed to graders (overrides what suites were built with). */
  services?: GraderServices;
  /** Stored with the run so `--resume` and reports know how it was made. */
  recordedOptions?: Record<string, unknown>;
  onProgress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
  /** Injected for tests: clock, sleep, randomness, run ids. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  newRunId?: () => string;
}

export interface ModelProgress {
  done: number;
  passes: number;
  spentNano: NanoUsd;
}

export type ProgressEvent =
  | { type: 'progress'; done: number; total: number; passes: number; errors: number; cacheHits: number; spentNano: NanoUsd; perModel: Record<string, ModelProgress> }
  | { type: 'dominated'; suite: string; model: string; detail: string; itemsSkipped: number }
  | { type: 'budget-exhausted'; spentNano: NanoUsd; limitNano: NanoUsd }
  | { type: 'retry'; model: string; attempt: number; delayMs: number; code: string };

export interface FailFastSkip {
  suite: string;
  model: string;
  reason: 'below-leader' | 'below-min-pass';
  detail: string;
  /** Graded attempts when it was stopped. */
  gradedBeforeStop: number;
  itemsSkipped: number;
  /** Average cost per item so far × items skipped. */
  estimatedSavedNano: NanoUsd;
}

export interface RunSummary {
  runId: string;
  status: EvalRunStatus;
  simulated: boolean;
  simulatedModels: string[];
  startedAt: number;
  finishedAt: number;
  models: string[];
  suites: string[];
  /** Tasks in the plan: items × models × repeats. */
  planned: number;
  /** Graded by this invocation (a resumed run excludes what was graded before). */
  graded: number;
  resumedFrom: number;
  cacheHits: number;
  paidCalls: number;
  retries: number;
  errors: number;
  /** Paid by this invocation. */
  spentNano: NanoUsd;
  budget?: { limitNano: NanoUsd; spentNano: NanoUsd; exhausted: boolean; unscheduled: number };
  failFast?: { skipped: FailFastSkip[]; itemsSkipped: number; estimatedSavedNano: NanoUsd };
  metrics: ModelSuiteMetrics[];
}

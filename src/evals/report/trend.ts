/**
 * A suite over time: each model's pass rate (with its interval) run by run, and the latest
 * step (its newest run against the run before it that measured it) tested for a regression
 * with the same paired McNemar test as `arbiter diff`.
 */
import type { EvalResultRecord } from '../../store/eval-results.js';
import { wilsonInterval } from '../stats/wilson.js';
import { compareRuns, type ModelComparison } from './compare-runs.js';

export interface TrendRun {
  id: string;
  startedAt: number;
  simulated: boolean;
  rows: ReadonlyArray<Pick<EvalResultRecord, 'suite' | 'itemId' | 'model' | 'repeat' | 'pass'>>;
}

export interface TrendPoint {
  runId: string;
  startedAt: number;
  passes: number;
  total: number;
  passRate: number;
  passRateLower: number;
  passRateUpper: number;
}

export interface ModelTrend {
  model: string;
  points: TrendPoint[];
  /** Newest run against the previous one, when the model has two. */
  lastStep?: ModelComparison & { fromRunId: string; toRunId: string };
}

export interface SuiteTrend {
  suite: string;
  simulated: boolean;
  runs: Array<{ id: string; startedAt: number }>;
  models: ModelTrend[];
}

export function suiteTrend(suite: string, runs: readonly TrendRun[], options: { alpha?: number } = {}): SuiteTrend {
  const ordered = [...runs].sort((a, b) => a.startedAt - b.startedAt);
  const models = [...new Set(ordered.flatMap((run) => run.rows.filter((row) => row.suite === suite).map((row) => row.model)))].sort();
  const trends = models.map((model): ModelTrend => {
    const measured = ordered
      .map((run) => ({ run, rows: run.rows.filter((row) => row.suite === suite && row.model === model) }))
      .filter((entry) => entry.rows.length > 0);
    const points = measured.map(({ run, rows }) => {
      const passes = rows.filter((row) => row.pass).length;
      const { lower, upper } = wilsonInterval(passes, rows.length);
      return { runId: run.id, startedAt: run.startedAt, passes, total: rows.length, passRate: passes / rows.length, passRateLower: lower, passRateUpper: upper };
    });
    const trend: ModelTrend = { model, points };
    const last = measured.at(-1);
    const previous = measured.at(-2);
    if (last && previous) {
      const [comparison] = compareRuns(previous.rows, last.rows, options);
      if (comparison) trend.lastStep = { ...comparison, fromRunId: previous.run.id, toRunId: last.run.id };
    }
    return trend;
  });
  return {
    suite,
    simulated: ordered.some((run) => run.simulated),
    runs: ordered.map((run) => ({ id: run.id, startedAt: run.startedAt })),
    models: trends,
  };
}

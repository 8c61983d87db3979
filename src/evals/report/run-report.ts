/**
 * Everything a report shows about one run, loaded once: the run row, per (model, suite)
 * metrics from its stored results, the Pareto front per suite, and what the runner recorded
 * at the end (fail-fast skips, budget stop). The stored summary is parsed at this edge.
 */
import { z } from 'zod';
import type { Store } from '../../store/database.js';
import { getEvalRun, type EvalRunStatus } from '../../store/eval-runs.js';
import { loadEvalResults } from '../../store/eval-results.js';
import { computeModelSuiteMetrics, type ModelSuiteMetrics } from '../stats/model-metrics.js';
import { paretoFront } from './pareto.js';

const storedSummarySchema = z.looseObject({
  budget: z.object({ limitNano: z.number(), spentNano: z.number(), exhausted: z.boolean(), unscheduled: z.number() }).optional(),
  failFast: z.object({
    skipped: z.array(z.looseObject({ suite: z.string(), model: z.string(), reason: z.string(), detail: z.string(), itemsSkipped: z.number(), estimatedSavedNano: z.number() })),
    itemsSkipped: z.number(),
    estimatedSavedNano: z.number(),
  }).optional(),
});

const storedOptionsSchema = z.looseObject({ simulatedModels: z.array(z.string()).optional() });

export type StoredRunSummary = z.infer<typeof storedSummarySchema>;

export interface RunReport {
  run: { id: string; startedAt: number; finishedAt: number | null; status: EvalRunStatus; simulated: boolean; simulatedModels: string[] };
  metrics: ModelSuiteMetrics[];
  /** Suite → models on its cost-per-success / pass-rate Pareto front. */
  pareto: Record<string, string[]>;
  budget?: StoredRunSummary['budget'];
  failFast?: StoredRunSummary['failFast'];
}

/** Leaderboard order: suite, then pass rate, then cheaper success first. */
export function sortMetrics(metrics: readonly ModelSuiteMetrics[]): ModelSuiteMetrics[] {
  return [...metrics].sort((a, b) => a.suite.localeCompare(b.suite)
    || b.passRate - a.passRate
    || (a.costPerSuccess?.valueNano ?? Infinity) - (b.costPerSuccess?.valueNano ?? Infinity)
    || a.model.localeCompare(b.model));
}

export function paretoBySuite(metrics: readonly ModelSuiteMetrics[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const suite of new Set(metrics.map((m) => m.suite))) {
    const points = metrics.filter((m) => m.suite === suite && m.costPerSuccess !== null)
      .map((m) => ({ key: m.model, costNano: m.costPerSuccess?.valueNano ?? 0, quality: m.passRate }));
    out[suite] = [...paretoFront(points)];
  }
  return out;
}

export async function loadRunReport(store: Store, runId: string): Promise<RunReport> {
  const run = await getEvalRun(store, runId);
  if (!run) throw new Error(`no eval run '${runId}'`);
  const metrics = sortMetrics(computeModelSuiteMetrics(await loadEvalResults(store, runId)));
  const summary = storedSummarySchema.safeParse(run.summary ?? {});
  const options = storedOptionsSchema.safeParse(run.options ?? {});
  const report: RunReport = {
    run: {
      id: run.id, startedAt: run.startedAt, finishedAt: run.finishedAt, status: run.status, simulated: run.simulated,
      simulatedModels: options.success ? options.data.simulatedModels ?? [] : [],
    },
    metrics,
    pareto: paretoBySuite(metrics),
  };
  if (summary.success && summary.data.budget) report.budget = summary.data.budget;
  if (summary.success && summary.data.failFast) report.failFast = summary.data.failFast;
  return report;
}

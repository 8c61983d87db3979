/**
 * Eval evidence per (model, task kind) over the latest run(s) that measured it: the raw counts
 * the router's quality figures are built from. Intervals and percentiles are statistics and
 * live in evals (`evals/quality.ts` `qualityFor`); the store only gathers.
 */
import type { Store } from './database.js';

export interface QualityWindow {
  /** Only runs started at or after this epoch ms. */
  since?: number;
  /** How many of the newest runs that measured this (model, kind) to pool; default 1. */
  runs?: number;
}

export interface QualityCounts {
  runIds: string[];
  passes: number;
  total: number;
  /** Sum over priced rows only, and how many rows were priced. */
  costSumNano: number;
  pricedRows: number;
  /** Latencies of answered calls (errors excluded), unsorted. */
  latenciesMs: number[];
}

export async function loadQualityCounts(store: Store, modelId: string, taskKind: string, window: QualityWindow = {}): Promise<QualityCounts | undefined> {
  let runs = store.db.selectFrom('eval_runs').select('eval_runs.id')
    .where(({ exists, selectFrom }) => exists(
      selectFrom('eval_results').select('eval_results.run_id')
        .whereRef('eval_results.run_id', '=', 'eval_runs.id')
        .where('eval_results.model', '=', modelId)
        .where('eval_results.kind', '=', taskKind),
    ))
    .orderBy('eval_runs.started_at', 'desc')
    .limit(Math.max(1, window.runs ?? 1));
  if (window.since !== undefined) runs = runs.where('eval_runs.started_at', '>=', window.since);
  const runIds = (await runs.execute()).map((row) => row.id);
  if (runIds.length === 0) return undefined;
  const rows = await store.db.selectFrom('eval_results')
    .select(['pass', 'cost_nano', 'latency_ms', 'error_code'])
    .where('run_id', 'in', runIds)
    .where('model', '=', modelId)
    .where('kind', '=', taskKind)
    .execute();
  const counts: QualityCounts = { runIds, passes: 0, total: 0, costSumNano: 0, pricedRows: 0, latenciesMs: [] };
  for (const row of rows) {
    counts.total += 1;
    if (Number(row.pass) === 1) counts.passes += 1;
    if (row.cost_nano !== null) {
      counts.costSumNano += Number(row.cost_nano);
      counts.pricedRows += 1;
    }
    if (row.error_code === null && row.latency_ms !== null) counts.latenciesMs.push(Number(row.latency_ms));
  }
  return counts;
}

/** Every (model, kind) pair with results since `since`, for loading a whole quality table. */
export async function listMeasuredPairs(store: Store, since?: number): Promise<Array<{ model: string; kind: string }>> {
  let query = store.db.selectFrom('eval_results')
    .innerJoin('eval_runs', 'eval_runs.id', 'eval_results.run_id')
    .select(['eval_results.model', 'eval_results.kind'])
    .distinct();
  if (since !== undefined) query = query.where('eval_runs.started_at', '>=', since);
  return query.execute();
}

/**
 * Eval evidence for the router: quality per (model, task kind) from the latest run(s), with
 * the Wilson interval, average cost and p95 latency. The store gathers the counts
 * (`store/eval-quality.ts`); the statistics are computed here. `loadQualitySource` builds the
 * synchronous lookup the runtime's routing takes (`QualitySource`).
 */
import type { QualityFigures } from '../core/quality.js';
import type { Store } from '../store/database.js';
import { listMeasuredPairs, loadQualityCounts, type QualityWindow } from '../store/eval-quality.js';
import { percentile } from './stats/percentile.js';
import { wilsonInterval } from './stats/wilson.js';

export interface EvalQuality extends QualityFigures {
  runIds: string[];
}

export async function qualityFor(store: Store, modelId: string, taskKind: string, window: QualityWindow = {}): Promise<EvalQuality | undefined> {
  const counts = await loadQualityCounts(store, modelId, taskKind, window);
  if (!counts || counts.total === 0) return undefined;
  const interval = wilsonInterval(counts.passes, counts.total);
  const quality: EvalQuality = {
    passes: counts.passes,
    total: counts.total,
    passRate: counts.passes / counts.total,
    passRateLower: interval.lower,
    passRateUpper: interval.upper,
    runIds: counts.runIds,
  };
  if (counts.pricedRows > 0) quality.avgCostNano = counts.costSumNano / counts.pricedRows;
  const p95 = percentile(counts.latenciesMs, 0.95);
  if (p95 !== undefined) quality.p95LatencyMs = p95;
  return quality;
}

/** Every measured (model, kind) loaded once; lookups are then synchronous. */
export async function loadQualitySource(store: Store, window: QualityWindow = {}): Promise<(modelId: string, taskKind: string) => EvalQuality | undefined> {
  const table = new Map<string, EvalQuality>();
  for (const { model, kind } of await listMeasuredPairs(store, window.since)) {
    const quality = await qualityFor(store, model, kind, window);
    if (quality) table.set(`${model}\u0000${kind}`, quality);
  }
  return (modelId, taskKind) => table.get(`${modelId}\u0000${taskKind}`);
}

/**
 * Eval evidence for one (model, task kind): what the eval harness produces and the router
 * decides on. Pass-rate bounds are the Wilson 95% interval.
 */
export interface QualityFigures {
  passes: number;
  total: number;
  passRate: number;
  passRateLower: number;
  passRateUpper: number;
  /** Average cost per task; undefined when no result was priced. */
  avgCostNano?: number;
  p95LatencyMs?: number;
}

export type QualityLookup = (modelId: string, taskKind: string) => QualityFigures | undefined;

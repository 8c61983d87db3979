/**
 * Hourly rollups of the audit trail (owned by controls, read by the dashboard). One row per
 * (hour, key, route, model, deployment, status); absent values are '' so the key compares.
 * Latency is a fixed-bucket histogram (`lat_b0..lat_b11`, bounds in migration 004), so
 * percentiles can be estimated from sums over any range.
 */
export interface AuditRollupHourlyTable {
  hour: number;
  key_id: string;
  key_name: string;
  route: string;
  model: string;
  deployment: string;
  status: number;
  requests: number;
  prompt_tokens: number;
  completion_tokens: number;
  cost_nano: number;
  /** Requests that spent tokens at an unknown price. */
  unpriced: number;
  cache_hits: number;
  retries: number;
  fallbacks: number;
  latency_sum_ms: number;
  ttft_sum_ms: number;
  ttft_count: number;
  lat_b0: number;
  lat_b1: number;
  lat_b2: number;
  lat_b3: number;
  lat_b4: number;
  lat_b5: number;
  lat_b6: number;
  lat_b7: number;
  lat_b8: number;
  lat_b9: number;
  lat_b10: number;
  lat_b11: number;
}

export interface DashboardTables {
  audit_rollup_hourly: AuditRollupHourlyTable;
}

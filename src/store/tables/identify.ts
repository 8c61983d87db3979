/**
 * Identifications of deployments by `arbiter identify` (owned by identify): one row per run,
 * newest per deployment shown by `arbiter models` and `arbiter route --explain`.
 * Timestamps are epoch ms, booleans 0/1, JSON is text.
 */
export interface IdentificationsTable {
  id: string;
  /** The configured deployment name, or the URL + model when identified ad hoc. */
  deployment: string;
  url: string;
  model: string;
  created_at: number;
  /** The confident family set id, or `unknown`. */
  family: string;
  probability: number;
  confident: number;
  fingerprint: string;
  /** 1 when the fingerprint differs from the deployment's previous one (a silent swap). */
  changed: number;
  change_reason: string | null;
  requests: number;
  prompt_tokens: number;
  /** The whole report (ranking, evidence table, spend). */
  report_json: string;
}

export interface IdentifyTables {
  identifications: IdentificationsTable;
}

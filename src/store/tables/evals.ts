/**
 * Eval runs, their graded results and the response cache (owned by the eval harness).
 * Booleans are 0/1 integers and JSON is text, so SQLite and Postgres rows look the same.
 */
export interface EvalRunsTable {
  id: string;
  started_at: number;
  finished_at: number | null;
  /** running | completed | budget_exhausted | failed | aborted */
  status: string;
  simulated: number;
  /** The run's options as given (suites, models, limits), for resume and reports. */
  options_json: string;
  /** What the runner knew at the end that rows cannot tell: fail-fast skips, budget stop. */
  summary_json: string | null;
}

export interface EvalResultsTable {
  run_id: string;
  suite: string;
  item_id: string;
  /** The item's task kind (code, qa, tools...), what the router's quality lookups key on. */
  kind: string;
  category: string | null;
  model: string;
  repeat: number;
  request_hash: string;
  response_json: string | null;
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens: number;
  reasoning_tokens: number;
  /** Null when the deployment is unpriced: never silently zero. */
  cost_nano: number | null;
  latency_ms: number | null;
  ttft_ms: number | null;
  /** 1 when the response came from the eval cache (nothing paid in this run). */
  from_cache: number;
  pass: number;
  score: number;
  reason: string;
  details_json: string | null;
  /** Set when the call failed after retries; such rows count as failures and are redone on resume. */
  error_code: string | null;
  created_at: number;
}

export interface EvalCacheTable {
  /** sha256 of (model, canonical request, repeat index). */
  request_hash: string;
  model: string;
  response_json: string;
  deployment: string;
  cost_nano: number | null;
  latency_ms: number;
  ttft_ms: number | null;
  created_at: number;
}

export interface EvalTables {
  eval_runs: EvalRunsTable;
  eval_results: EvalResultsTable;
  eval_cache: EvalCacheTable;
}

/**
 * Virtual keys, budgets, spend and the audit trail (owned by controls).
 * Timestamps are epoch ms, money is integer nano-dollars, booleans are 0/1, JSON is text.
 */
export interface VirtualKeysTable {
  id: string;
  /** SHA-256 hex of the full key; the key itself is never stored. */
  key_hash: string;
  /** First characters of the key for display (`arb_AbCd…`). */
  key_prefix: string;
  name: string;
  route: string | null;
  /** BudgetSpec[] as JSON. */
  budgets_json: string;
  rpm: number | null;
  tpm: number | null;
  /** string[] as JSON, null = every tool allowed. */
  allowed_tools_json: string | null;
  tool_calls_per_minute: number | null;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
}

export interface ControlSpendTable {
  /** Ledger scope, e.g. `key:<id>:usd:month:2025-01`. */
  scope: string;
  spent: number;
  updated_at: number;
}

export interface AuditLogTable {
  request_id: string;
  created_at: number;
  key_id: string | null;
  key_name: string | null;
  route: string | null;
  deployment: string | null;
  model: string | null;
  reason: string | null;
  attempts_json: string | null;
  retries: number;
  fallbacks: number;
  status: number;
  error_code: string | null;
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens: number;
  reasoning_tokens: number;
  cost_nano: number | null;
  latency_ms: number;
  ttft_ms: number | null;
  cache_hit: number;
  streamed: number;
  blocked_tools_json: string | null;
  prompt_hash: string | null;
  prompt_body: string | null;
  response_body: string | null;
  /** The API the request came in by: chat, messages, responses or embeddings (null: refused before a handler). */
  entrance: string | null;
  /** Candidates the route decision left out and why ([{ modelId, reasons }] as JSON; migration 004). */
  route_excluded_json?: string | null;
}

/** A Responses API turn kept for `previous_response_id` (only on routes that store bodies). */
export interface StoredResponsesTable {
  /** `resp_...`, the id the client got. */
  id: string;
  /** The virtual key that made it: only that key may continue the conversation. */
  key_id: string | null;
  route: string;
  /** The canonical conversation including the answer, as JSON. */
  messages_json: string;
  /** The Responses object returned, as JSON (for GET-style lookups and audits). */
  response_json: string;
  created_at: number;
  expires_at: number;
}

export interface ControlTables {
  virtual_keys: VirtualKeysTable;
  control_spend: ControlSpendTable;
  audit_log: AuditLogTable;
  stored_responses: StoredResponsesTable;
}

/**
 * Graded eval results: one row per (run, suite, item, model, repeat). Writes are batched, one
 * transaction per batch, and upsert so a resumed run can replace its failed rows.
 */
import type { Insertable, Selectable } from 'kysely';
import type { ChatResponse } from '../core/chat-response.js';
import type { Store } from './database.js';
import type { EvalResultsTable } from './tables/evals.js';
import { BatchInsert } from './batch-insert.js';

export interface EvalResultRecord {
  runId: string;
  suite: string;
  itemId: string;
  kind: string;
  category: string | null;
  model: string;
  repeat: number;
  requestHash: string;
  /** Null when the call failed, or when loaded without responses. */
  response: ChatResponse | null;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  reasoningTokens: number;
  costNano: number | null;
  latencyMs: number | null;
  ttftMs: number | null;
  fromCache: boolean;
  pass: boolean;
  score: number;
  reason: string;
  details: Record<string, number | boolean | string> | null;
  errorCode: string | null;
  createdAt: number;
}

/** Rows per INSERT statement: 25 columns × 40 rows stays far below SQLite's variable limit. */
const ROWS_PER_STATEMENT = 40;

const updatable = [
  'kind', 'category', 'request_hash', 'response_json', 'prompt_tokens', 'completion_tokens', 'cached_tokens',
  'reasoning_tokens', 'cost_nano', 'latency_ms', 'ttft_ms', 'from_cache', 'pass', 'score', 'reason',
  'details_json', 'error_code', 'created_at',
] as const;

const resultColumns = [
  'run_id', 'suite', 'item_id', 'model', 'repeat', ...updatable,
] as const satisfies ReadonlyArray<keyof EvalResultsTable>;
type MissingResultColumn = Exclude<keyof EvalResultsTable, (typeof resultColumns)[number]>;
const allResultColumnsListed: MissingResultColumn extends never ? true : never = true;
void allResultColumnsListed;

const insertResults = new BatchInsert('eval_results', resultColumns, (query) =>
  query.onConflict((conflict) => conflict.columns(['run_id', 'suite', 'item_id', 'model', 'repeat']).doUpdateSet((eb) => {
    const set: Record<string, unknown> = {};
    for (const column of updatable) set[column] = eb.ref(`excluded.${column}`);
    return set as Partial<Insertable<EvalResultsTable>>;
  })));

export async function insertEvalResults(store: Store, records: readonly EvalResultRecord[]): Promise<void> {
  if (records.length === 0) return;
  await store.db.transaction().execute(async (trx) => {
    for (let start = 0; start < records.length; start += ROWS_PER_STATEMENT) {
      await insertResults.run(trx, records.slice(start, start + ROWS_PER_STATEMENT).map(toRow));
    }
  });
}

export interface LoadResultsOptions {
  /** Responses are the bulk of a row; reports and quality figures do not need them. */
  withResponses?: boolean;
  suite?: string;
  model?: string;
}

export async function loadEvalResults(store: Store, runId: string, options: LoadResultsOptions = {}): Promise<EvalResultRecord[]> {
  let query = store.db.selectFrom('eval_results').where('run_id', '=', runId);
  if (options.suite !== undefined) query = query.where('suite', '=', options.suite);
  if (options.model !== undefined) query = query.where('model', '=', options.model);
  const rows = options.withResponses
    ? await query.selectAll().orderBy('suite').orderBy('item_id').orderBy('model').orderBy('repeat').execute()
    : await query.select(columnsWithoutResponse).orderBy('suite').orderBy('item_id').orderBy('model').orderBy('repeat').execute();
  return rows.map((row) => fromRow({ response_json: null, ...row }));
}

const columnsWithoutResponse = [
  'run_id', 'suite', 'item_id', 'kind', 'category', 'model', 'repeat', 'request_hash', 'prompt_tokens',
  'completion_tokens', 'cached_tokens', 'reasoning_tokens', 'cost_nano', 'latency_ms', 'ttft_ms', 'from_cache',
  'pass', 'score', 'reason', 'details_json', 'error_code', 'created_at',
] as const;

function toRow(record: EvalResultRecord): Insertable<EvalResultsTable> {
  return {
    run_id: record.runId,
    suite: record.suite,
    item_id: record.itemId,
    kind: record.kind,
    category: record.category,
    model: record.model,
    repeat: record.repeat,
    request_hash: record.requestHash,
    response_json: record.response === null ? null : JSON.stringify(record.response),
    prompt_tokens: record.promptTokens,
    completion_tokens: record.completionTokens,
    cached_tokens: record.cachedTokens,
    reasoning_tokens: record.reasoningTokens,
    cost_nano: record.costNano,
    latency_ms: record.latencyMs,
    ttft_ms: record.ttftMs,
    from_cache: record.fromCache ? 1 : 0,
    pass: record.pass ? 1 : 0,
    score: record.score,
    reason: record.reason,
    details_json: record.details === null ? null : JSON.stringify(record.details),
    error_code: record.errorCode,
    created_at: record.createdAt,
  };
}

function fromRow(row: Selectable<EvalResultsTable>): EvalResultRecord {
  return {
    runId: row.run_id,
    suite: row.suite,
    itemId: row.item_id,
    kind: row.kind,
    category: row.category,
    model: row.model,
    repeat: Number(row.repeat),
    requestHash: row.request_hash,
    response: row.response_json === null ? null : (JSON.parse(row.response_json) as ChatResponse),
    promptTokens: Number(row.prompt_tokens),
    completionTokens: Number(row.completion_tokens),
    cachedTokens: Number(row.cached_tokens),
    reasoningTokens: Number(row.reasoning_tokens),
    costNano: row.cost_nano === null ? null : Number(row.cost_nano),
    latencyMs: row.latency_ms === null ? null : Number(row.latency_ms),
    ttftMs: row.ttft_ms === null ? null : Number(row.ttft_ms),
    fromCache: Number(row.from_cache) === 1,
    pass: Number(row.pass) === 1,
    score: Number(row.score),
    reason: row.reason,
    details: row.details_json === null ? null : (JSON.parse(row.details_json) as Record<string, number | boolean | string>),
    errorCode: row.error_code,
    createdAt: Number(row.created_at),
  };
}

/**
 * The request log for the dashboard: keyset pages newest first on (created_at, request_id),
 * so a page costs the same at row 10 as at row 1,000,000 and rows written meanwhile never
 * shift a page already seen. Every query is bounded by a time range and a page size.
 */
import type { Store } from './database.js';
import type { AuditLogTable } from './tables/controls.js';

export type StatusClass = '2xx' | '4xx' | '5xx' | 'error';

export interface LogFilter {
  from: number;
  to: number;
  /** A key id or a key name. */
  key?: string;
  route?: string;
  model?: string;
  deployment?: string;
  status?: number | StatusClass;
  cacheHit?: boolean;
  /** A request id or its beginning. */
  requestId?: string;
}

export interface LogCursor {
  createdAt: number;
  requestId: string;
}

export const LOG_LIST_COLUMNS = [
  'request_id', 'created_at', 'key_id', 'key_name', 'route', 'deployment', 'model', 'status', 'error_code', 'retries', 'fallbacks',
  'prompt_tokens', 'completion_tokens', 'cost_nano', 'latency_ms', 'ttft_ms', 'cache_hit', 'streamed', 'entrance',
] as const satisfies ReadonlyArray<keyof AuditLogTable>;

export type LogListRow = Pick<AuditLogTable, (typeof LOG_LIST_COLUMNS)[number]>;

function where(store: Store, filter: LogFilter) {
  let query = store.db.selectFrom('audit_log').where('created_at', '>=', filter.from).where('created_at', '<', filter.to);
  if (filter.key !== undefined) {
    const key = filter.key;
    query = query.where((eb) => eb.or([eb('key_id', '=', key), eb('key_name', '=', key)]));
  }
  if (filter.route !== undefined) query = query.where('route', '=', filter.route);
  if (filter.model !== undefined) query = query.where('model', '=', filter.model);
  if (filter.deployment !== undefined) query = query.where('deployment', '=', filter.deployment);
  const status = filter.status;
  if (typeof status === 'number') query = query.where('status', '=', status);
  else if (status === '2xx') query = query.where('status', '>=', 200).where('status', '<', 300);
  else if (status === '4xx') query = query.where('status', '>=', 400).where('status', '<', 500);
  else if (status === '5xx') query = query.where('status', '>=', 500);
  else if (status === 'error') query = query.where('status', '>=', 400);
  if (filter.cacheHit !== undefined) query = query.where('cache_hit', '=', filter.cacheHit ? 1 : 0);
  if (filter.requestId !== undefined) {
    // A prefix as a range: it uses the request_id index in both dialects (LIKE may not).
    query = query.where('request_id', '>=', filter.requestId).where('request_id', '<', `${filter.requestId}\u{10FFFF}`);
  }
  return query;
}

/** One page older than `before` (or the newest), plus the cursor of the page after it. */
export async function logPage(store: Store, filter: LogFilter, limit: number, before?: LogCursor): Promise<{ rows: LogListRow[]; next: LogCursor | null }> {
  let query = where(store, filter).select(LOG_LIST_COLUMNS);
  if (before) {
    const { createdAt, requestId } = before;
    query = query.where((eb) => eb.or([eb('created_at', '<', createdAt), eb.and([eb('created_at', '=', createdAt), eb('request_id', '<', requestId)])]));
  }
  const rows = await query.orderBy('created_at', 'desc').orderBy('request_id', 'desc').limit(limit + 1).execute();
  const page = rows.slice(0, limit).map(normalize);
  const last = page.at(-1);
  return { rows: page, next: rows.length > limit && last ? { createdAt: last.created_at, requestId: last.request_id } : null };
}

/** Postgres hands back bigint and double columns as numbers (see database.ts) but SQLite may give floats for ints; keep one shape. */
function normalize<Row extends LogListRow>(row: Row): Row {
  return { ...row, created_at: Number(row.created_at), cost_nano: row.cost_nano === null ? null : Number(row.cost_nano), latency_ms: Number(row.latency_ms) };
}

export async function logEntry(store: Store, requestId: string): Promise<AuditLogTable | undefined> {
  const row = await store.db.selectFrom('audit_log').selectAll().where('request_id', '=', requestId).orderBy('created_at', 'desc').executeTakeFirst();
  return row ? normalize(row) : undefined;
}

/** Requests and tokens of a key since `since` (its live rpm/tpm use), by the (key_id, created_at) index. */
export async function keyRecentUse(store: Store, keyId: string, since: number): Promise<{ requests: number; tokens: number }> {
  const row = await store.db.selectFrom('audit_log')
    .select((eb) => [eb.fn.countAll<number>().as('requests'), eb.fn.sum<number>(eb(eb.ref('prompt_tokens'), '+', eb.ref('completion_tokens'))).as('tokens')])
    .where('key_id', '=', keyId).where('created_at', '>=', since)
    .executeTakeFirst();
  return { requests: Number(row?.requests ?? 0), tokens: Number(row?.tokens ?? 0) };
}

/** Whether a row matches the filter, for rows pushed live (the same rules as the query). */
export function matchesLogFilter(row: AuditLogTable, filter: Omit<LogFilter, 'from' | 'to'>): boolean {
  if (filter.key !== undefined && row.key_id !== filter.key && row.key_name !== filter.key) return false;
  if (filter.route !== undefined && row.route !== filter.route) return false;
  if (filter.model !== undefined && row.model !== filter.model) return false;
  if (filter.deployment !== undefined && row.deployment !== filter.deployment) return false;
  const status = filter.status;
  if (typeof status === 'number' && row.status !== status) return false;
  if (status === '2xx' && !(row.status >= 200 && row.status < 300)) return false;
  if (status === '4xx' && !(row.status >= 400 && row.status < 500)) return false;
  if (status === '5xx' && row.status < 500) return false;
  if (status === 'error' && row.status < 400) return false;
  if (filter.cacheHit !== undefined && (row.cache_hit === 1) !== filter.cacheHit) return false;
  if (filter.requestId !== undefined && !row.request_id.startsWith(filter.requestId)) return false;
  return true;
}

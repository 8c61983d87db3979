/**
 * Folds a batch of audit rows into hourly rollup rows, upserted in the same transaction as
 * the rows themselves: the dashboard's charts then read a few thousand rollup rows instead of
 * scanning millions of audit rows, and the two can never disagree.
 */
import { ROLLUP_LATENCY_BOUNDS_MS } from '../store/migrations/004-dashboard.js';
import type { AuditRollupHourlyTable } from '../store/tables/dashboard.js';
import type { AuditLogTable } from '../store/tables/controls.js';
import { BatchInsert, type Executor } from '../store/batch-insert.js';

export const HOUR_MS = 3_600_000;

type BucketColumn = `lat_b${0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11}`;
export const LATENCY_BUCKET_COLUMNS: readonly BucketColumn[] = Array.from({ length: ROLLUP_LATENCY_BOUNDS_MS.length + 1 }, (_, index) => `lat_b${index}` as BucketColumn);

const KEY_COLUMNS = ['hour', 'key_id', 'route', 'model', 'deployment', 'status'] as const;
const SUM_COLUMNS = [
  'requests', 'prompt_tokens', 'completion_tokens', 'cost_nano', 'unpriced', 'cache_hits', 'retries', 'fallbacks',
  'latency_sum_ms', 'ttft_sum_ms', 'ttft_count', ...LATENCY_BUCKET_COLUMNS,
] as const;
const ROLLUP_COLUMNS = [...KEY_COLUMNS, 'key_name', ...SUM_COLUMNS] as const satisfies ReadonlyArray<keyof AuditRollupHourlyTable>;
type MissingRollupColumn = Exclude<keyof AuditRollupHourlyTable, (typeof ROLLUP_COLUMNS)[number]>;
const allRollupColumnsListed: MissingRollupColumn extends never ? true : never = true;
void allRollupColumnsListed;

/** The histogram bucket a latency falls in (the same `<=` bounds as the migration's backfill). */
export function latencyBucket(latencyMs: number): number {
  for (let index = 0; index < ROLLUP_LATENCY_BOUNDS_MS.length; index++) {
    if (latencyMs <= (ROLLUP_LATENCY_BOUNDS_MS[index] ?? Infinity)) return index;
  }
  return ROLLUP_LATENCY_BOUNDS_MS.length;
}

function emptyRollup(row: AuditLogTable, hour: number): AuditRollupHourlyTable {
  const rollup = {
    hour, key_id: row.key_id ?? '', key_name: row.key_name ?? '', route: row.route ?? '', model: row.model ?? '', deployment: row.deployment ?? '', status: row.status,
    requests: 0, prompt_tokens: 0, completion_tokens: 0, cost_nano: 0, unpriced: 0, cache_hits: 0, retries: 0, fallbacks: 0,
    latency_sum_ms: 0, ttft_sum_ms: 0, ttft_count: 0,
  } as AuditRollupHourlyTable;
  for (const column of LATENCY_BUCKET_COLUMNS) rollup[column] = 0;
  return rollup;
}

export function rollUp(rows: readonly AuditLogTable[]): AuditRollupHourlyTable[] {
  const byKey = new Map<string, AuditRollupHourlyTable>();
  for (const row of rows) {
    const hour = row.created_at - (row.created_at % HOUR_MS);
    const key = `${hour}\u0000${row.key_id ?? ''}\u0000${row.route ?? ''}\u0000${row.model ?? ''}\u0000${row.deployment ?? ''}\u0000${row.status}`;
    let rollup = byKey.get(key);
    if (!rollup) byKey.set(key, rollup = emptyRollup(row, hour));
    rollup.requests += 1;
    rollup.prompt_tokens += row.prompt_tokens;
    rollup.completion_tokens += row.completion_tokens;
    rollup.cost_nano += row.cost_nano ?? 0;
    if (row.cost_nano === null && row.prompt_tokens + row.completion_tokens > 0) rollup.unpriced += 1;
    rollup.cache_hits += row.cache_hit;
    rollup.retries += row.retries;
    rollup.fallbacks += row.fallbacks;
    rollup.latency_sum_ms += row.latency_ms;
    if (row.ttft_ms !== null) {
      rollup.ttft_sum_ms += row.ttft_ms;
      rollup.ttft_count += 1;
    }
    const bucket = LATENCY_BUCKET_COLUMNS[latencyBucket(row.latency_ms)];
    if (bucket) rollup[bucket] += 1;
  }
  return [...byKey.values()];
}

// Rows per statement: 30 columns × 30 rows stays far below SQLite's variable limit.
const ROWS_PER_STATEMENT = 30;

const upsertRollups = new BatchInsert('audit_rollup_hourly', ROLLUP_COLUMNS, (query) =>
  query.onConflict((conflict) => conflict.columns([...KEY_COLUMNS]).doUpdateSet((eb) => {
    const set: Record<string, unknown> = { key_name: eb.ref('excluded.key_name') };
    for (const column of SUM_COLUMNS) set[column] = eb(eb.ref(`audit_rollup_hourly.${column}`), '+', eb.ref(`excluded.${column}`));
    return set as Partial<AuditRollupHourlyTable>;
  })));

/** Adds the batch's rows to the rollups (run inside the audit batch's transaction). */
export async function writeRollups(executor: Executor, rows: readonly AuditLogTable[]): Promise<void> {
  const rollups = rollUp(rows);
  for (let at = 0; at < rollups.length; at += ROWS_PER_STATEMENT) {
    await upsertRollups.run(executor, rollups.slice(at, at + ROWS_PER_STATEMENT));
  }
}

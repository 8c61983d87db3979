/**
 * The audit trail: one row per request, written by a batched writer (every 200 ms or 100
 * rows, one transaction per batch, which also adds the batch to the hourly rollups).
 * `close()` drains everything queued.
 */
import type { Store } from '../store/database.js';
import type { AuditLogTable } from '../store/tables/controls.js';
import { BatchInsert } from '../store/batch-insert.js';
import { writeRollups } from './audit-rollup.js';
import type { AuditFeed } from './audit-feed.js';

export type AuditRecord = AuditLogTable;

const AUDIT_COLUMNS = [
  'request_id', 'created_at', 'key_id', 'key_name', 'route', 'deployment', 'model', 'reason', 'attempts_json',
  'retries', 'fallbacks', 'status', 'error_code', 'prompt_tokens', 'completion_tokens', 'cached_tokens',
  'reasoning_tokens', 'cost_nano', 'latency_ms', 'ttft_ms', 'cache_hit', 'streamed', 'blocked_tools_json',
  'prompt_hash', 'prompt_body', 'response_body', 'entrance', 'route_excluded_json',
] as const satisfies ReadonlyArray<keyof AuditLogTable>;

// A column added to the table but not to the list would be silently dropped: fail to compile instead.
type MissingAuditColumn = Exclude<keyof AuditLogTable, (typeof AUDIT_COLUMNS)[number]>;
const allAuditColumnsListed: MissingAuditColumn extends never ? true : never = true;
void allAuditColumnsListed;

export interface AuditWriterOptions {
  flushMs?: number;
  batchSize?: number;
  onError?: (error: unknown, rows: number) => void;
  /** Told of every committed batch (live views). */
  feed?: AuditFeed;
}

export class AuditWriter {
  private queue: AuditRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly flushMs: number;
  private readonly batchSize: number;
  private readonly insert = new BatchInsert('audit_log', AUDIT_COLUMNS);

  constructor(private readonly store: Store, private readonly options: AuditWriterOptions = {}) {
    this.flushMs = options.flushMs ?? 200;
    this.batchSize = options.batchSize ?? 100;
  }

  record(row: AuditRecord): void {
    this.queue.push(row);
    if (this.queue.length >= this.batchSize) {
      void this.flush();
    } else if (!this.timer && !this.closed) {
      this.timer = setTimeout(() => { this.timer = undefined; void this.flush(); }, this.flushMs);
      this.timer.unref();
    }
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Writes everything queued so far; batches go out one after another. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.chain = this.chain.then(async () => {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.batchSize);
        try {
          await this.store.db.transaction().execute(async (trx) => {
            await this.insert.run(trx, batch);
            await writeRollups(trx, batch);
          });
          this.options.feed?.publish(batch);
        } catch (error) {
          this.options.onError?.(error, batch.length);
        }
      }
    });
    return this.chain;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }
}

export interface AuditQuery {
  key?: string;
  route?: string;
  since?: number;
  limit?: number;
}

export async function queryAudit(store: Store, query: AuditQuery): Promise<AuditRecord[]> {
  let select = store.db.selectFrom('audit_log').selectAll();
  if (query.key) {
    const key = query.key;
    select = select.where((eb) => eb.or([eb('key_id', '=', key), eb('key_name', '=', key)]));
  }
  if (query.route) select = select.where('route', '=', query.route);
  if (query.since !== undefined) select = select.where('created_at', '>=', query.since);
  return select.orderBy('created_at', 'desc').limit(query.limit ?? 50).execute();
}

export interface SpendRow {
  group: string;
  requests: number;
  promptTokens: number;
  completionTokens: number;
  costNano: number;
  unpriced: number;
}

export type SpendGroup = 'key' | 'route' | 'model' | 'vendor';

/** Spend since a time grouped by key, route or model (vendor is grouped by the caller via `vendorOf`). */
export async function querySpend(store: Store, by: SpendGroup, since: number, vendorOf: (model: string) => string = () => 'unknown'): Promise<SpendRow[]> {
  const column = by === 'key' ? 'key_name' : by === 'route' ? 'route' : 'model';
  const rows = await store.db.selectFrom('audit_log')
    .select((eb) => [
      eb.ref(column).as('group'),
      eb.fn.countAll<number>().as('requests'),
      eb.fn.sum<number>('prompt_tokens').as('prompt_tokens'),
      eb.fn.sum<number>('completion_tokens').as('completion_tokens'),
      eb.fn.sum<number>('cost_nano').as('cost_nano'),
      // Unpriced = tokens were spent at an unknown price; a refused or failed call that spent none is not.
      eb.fn.sum<number>(eb.case().when(eb.and([eb('cost_nano', 'is', null), eb(eb('prompt_tokens', '+', eb.ref('completion_tokens')), '>', 0)])).then(1).else(0).end()).as('unpriced'),
    ])
    .where('created_at', '>=', since)
    .groupBy(column)
    .execute();
  const merged = new Map<string, SpendRow>();
  for (const row of rows) {
    const raw = row.group === null ? '(none)' : String(row.group);
    const group = by === 'vendor' ? (row.group === null ? '(none)' : vendorOf(raw)) : raw;
    const current = merged.get(group) ?? { group, requests: 0, promptTokens: 0, completionTokens: 0, costNano: 0, unpriced: 0 };
    current.requests += Number(row.requests);
    current.promptTokens += Number(row.prompt_tokens ?? 0);
    current.completionTokens += Number(row.completion_tokens ?? 0);
    current.costNano += Number(row.cost_nano ?? 0);
    current.unpriced += Number(row.unpriced ?? 0);
    merged.set(group, current);
  }
  return [...merged.values()].sort((a, b) => b.costNano - a.costNano);
}

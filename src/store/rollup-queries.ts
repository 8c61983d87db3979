/**
 * Reads over the hourly audit rollups for the dashboard: every query is bounded by an hour
 * range (the caller caps it) and groups a few thousand rows at most, whatever the size of the
 * raw audit log.
 */
import type { Store } from './database.js';
import type { AuditRollupHourlyTable } from './tables/dashboard.js';

export type RollupDimension = 'key_name' | 'route' | 'model' | 'deployment';

export interface RollupFilter {
  /** Inclusive hour start (epoch ms). */
  fromHour: number;
  /** Exclusive. */
  toHour: number;
  keyId?: string;
  route?: string;
  model?: string;
  deployment?: string;
}

export interface SeriesRow {
  hour: number;
  group: string;
  requests: number;
  tokens: number;
  costNano: number;
  errors: number;
  fallbacks: number;
}

function filtered(store: Store, filter: RollupFilter) {
  let query = store.db.selectFrom('audit_rollup_hourly').where('hour', '>=', filter.fromHour).where('hour', '<', filter.toHour);
  if (filter.keyId !== undefined) query = query.where('key_id', '=', filter.keyId);
  if (filter.route !== undefined) query = query.where('route', '=', filter.route);
  if (filter.model !== undefined) query = query.where('model', '=', filter.model);
  if (filter.deployment !== undefined) query = query.where('deployment', '=', filter.deployment);
  return query;
}

/** Requests, tokens, cost, errors and fallbacks per (hour, group). */
export async function rollupSeries(store: Store, filter: RollupFilter, by: RollupDimension): Promise<SeriesRow[]> {
  const rows = await filtered(store, filter)
    .select((eb) => [
      'hour',
      eb.ref(by).as('group'),
      eb.fn.sum<number>('requests').as('requests'),
      eb.fn.sum<number>(eb(eb.ref('prompt_tokens'), '+', eb.ref('completion_tokens'))).as('tokens'),
      eb.fn.sum<number>('cost_nano').as('cost_nano'),
      eb.fn.sum<number>(eb.case().when('status', '>=', 500).then(eb.ref('requests')).else(0).end()).as('errors'),
      eb.fn.sum<number>('fallbacks').as('fallbacks'),
    ])
    .groupBy(['hour', by])
    .orderBy('hour')
    .execute();
  return rows.map((row) => ({
    hour: Number(row.hour), group: String(row.group), requests: Number(row.requests), tokens: Number(row.tokens ?? 0),
    costNano: Number(row.cost_nano ?? 0), errors: Number(row.errors ?? 0), fallbacks: Number(row.fallbacks ?? 0),
  }));
}

export type LatencyBuckets = number[];

export interface DeploymentRollup {
  deployment: string;
  requests: number;
  errors: number;
  rateLimited: number;
  costNano: number;
  retries: number;
  fallbacks: number;
  latencySumMs: number;
  ttftSumMs: number;
  ttftCount: number;
  buckets: LatencyBuckets;
}

const BUCKETS = ['lat_b0', 'lat_b1', 'lat_b2', 'lat_b3', 'lat_b4', 'lat_b5', 'lat_b6', 'lat_b7', 'lat_b8', 'lat_b9', 'lat_b10', 'lat_b11'] as const satisfies ReadonlyArray<keyof AuditRollupHourlyTable>;

/** Per deployment over the range: volume, errors and the latency histogram. */
export async function deploymentRollups(store: Store, filter: RollupFilter): Promise<DeploymentRollup[]> {
  const rows = await filtered(store, filter)
    .select((eb) => [
      'deployment',
      eb.fn.sum<number>('requests').as('requests'),
      eb.fn.sum<number>(eb.case().when('status', '>=', 500).then(eb.ref('requests')).else(0).end()).as('errors'),
      eb.fn.sum<number>(eb.case().when('status', '=', 429).then(eb.ref('requests')).else(0).end()).as('rate_limited'),
      eb.fn.sum<number>('cost_nano').as('cost_nano'),
      eb.fn.sum<number>('retries').as('retries'),
      eb.fn.sum<number>('fallbacks').as('fallbacks'),
      eb.fn.sum<number>('latency_sum_ms').as('latency_sum_ms'),
      eb.fn.sum<number>('ttft_sum_ms').as('ttft_sum_ms'),
      eb.fn.sum<number>('ttft_count').as('ttft_count'),
      ...BUCKETS.map((column) => eb.fn.sum<number>(column).as(column)),
    ])
    .groupBy('deployment')
    .execute();
  return rows.map((row) => ({
    deployment: row.deployment,
    requests: Number(row.requests),
    errors: Number(row.errors ?? 0),
    rateLimited: Number(row.rate_limited ?? 0),
    costNano: Number(row.cost_nano ?? 0),
    retries: Number(row.retries ?? 0),
    fallbacks: Number(row.fallbacks ?? 0),
    latencySumMs: Number(row.latency_sum_ms ?? 0),
    ttftSumMs: Number(row.ttft_sum_ms ?? 0),
    ttftCount: Number(row.ttft_count ?? 0),
    buckets: BUCKETS.map((column) => Number((row as Record<string, unknown>)[column] ?? 0)),
  }));
}

/** Cumulative-ready hourly totals for one budget owner (a key id or a route) from `fromHour` on. */
export async function ownerHourlySpend(store: Store, owner: { keyId?: string; route?: string }, fromHour: number, toHour: number): Promise<Array<{ hour: number; costNano: number; tokens: number }>> {
  const rows = await filtered(store, { fromHour, toHour, ...owner })
    .select((eb) => ['hour', eb.fn.sum<number>('cost_nano').as('cost_nano'), eb.fn.sum<number>(eb(eb.ref('prompt_tokens'), '+', eb.ref('completion_tokens'))).as('tokens')])
    .groupBy('hour')
    .orderBy('hour')
    .execute();
  return rows.map((row) => ({ hour: Number(row.hour), costNano: Number(row.cost_nano ?? 0), tokens: Number(row.tokens ?? 0) }));
}

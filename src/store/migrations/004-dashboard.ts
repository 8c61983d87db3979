/**
 * The dashboard's read paths: hourly rollups of the audit trail (written in the same
 * transaction as the audit rows, so charts never scan the raw log) and the indexes its
 * keyset-paginated request log filters on. Existing audit rows are rolled up once here.
 */
import { sql, type Kysely, type Migration } from 'kysely';

// `Kysely<any>` is Kysely's own convention for migrations: they must not depend on today's schema type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/** Latency bucket upper bounds (ms) of the rollup's histogram columns; the last is unbounded. Never change: rows already written use them. */
export const ROLLUP_LATENCY_BOUNDS_MS = [25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000] as const;

export const dashboardMigration: Migration = {
  async up(db: AnyDb) {
    let table = db.schema.createTable('audit_rollup_hourly')
      .addColumn('hour', 'bigint', (c) => c.notNull())
      // '' rather than NULL: a primary key column must be comparable for the upsert.
      .addColumn('key_id', 'text', (c) => c.notNull())
      .addColumn('key_name', 'text', (c) => c.notNull())
      .addColumn('route', 'text', (c) => c.notNull())
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('deployment', 'text', (c) => c.notNull())
      .addColumn('status', 'integer', (c) => c.notNull())
      .addColumn('requests', 'bigint', (c) => c.notNull())
      .addColumn('prompt_tokens', 'bigint', (c) => c.notNull())
      .addColumn('completion_tokens', 'bigint', (c) => c.notNull())
      .addColumn('cost_nano', 'bigint', (c) => c.notNull())
      .addColumn('unpriced', 'bigint', (c) => c.notNull())
      .addColumn('cache_hits', 'bigint', (c) => c.notNull())
      .addColumn('retries', 'bigint', (c) => c.notNull())
      .addColumn('fallbacks', 'bigint', (c) => c.notNull())
      .addColumn('latency_sum_ms', 'double precision', (c) => c.notNull())
      .addColumn('ttft_sum_ms', 'double precision', (c) => c.notNull())
      .addColumn('ttft_count', 'bigint', (c) => c.notNull());
    for (let index = 0; index <= ROLLUP_LATENCY_BOUNDS_MS.length; index++) table = table.addColumn(`lat_b${index}`, 'bigint', (c) => c.notNull());
    await table.addPrimaryKeyConstraint('audit_rollup_hourly_pk', ['hour', 'key_id', 'route', 'model', 'deployment', 'status']).execute();

    await db.schema.alterTable('audit_log').addColumn('route_excluded_json', 'text').execute();

    // Keyset pagination (newest first) and each log filter narrowed by time.
    await db.schema.createIndex('audit_log_created_request').on('audit_log').columns(['created_at', 'request_id']).execute();
    await db.schema.createIndex('audit_log_request').on('audit_log').column('request_id').execute();
    for (const column of ['route', 'model', 'deployment', 'status']) {
      await db.schema.createIndex(`audit_log_${column}_created`).on('audit_log').columns([column, 'created_at']).execute();
    }

    const buckets = ROLLUP_LATENCY_BOUNDS_MS.map((bound, index) => sql`sum(case when latency_ms <= ${sql.lit(bound)} then 1 else 0 end) - ${index === 0 ? sql.lit(0) : sql`sum(case when latency_ms <= ${sql.lit(ROLLUP_LATENCY_BOUNDS_MS[index - 1])} then 1 else 0 end)`}`);
    const lastBound = sql.lit(ROLLUP_LATENCY_BOUNDS_MS[ROLLUP_LATENCY_BOUNDS_MS.length - 1]);
    await sql`insert into audit_rollup_hourly
      select created_at - (created_at % 3600000), coalesce(key_id, ''), coalesce(max(key_name), ''), coalesce(route, ''), coalesce(model, ''), coalesce(deployment, ''), status,
        count(*), sum(prompt_tokens), sum(completion_tokens), coalesce(sum(cost_nano), 0),
        sum(case when cost_nano is null and prompt_tokens + completion_tokens > 0 then 1 else 0 end),
        sum(cache_hit), sum(retries), sum(fallbacks), sum(latency_ms), coalesce(sum(ttft_ms), 0), count(ttft_ms),
        ${sql.join(buckets)}, sum(case when latency_ms > ${lastBound} then 1 else 0 end)
      from audit_log
      group by created_at - (created_at % 3600000), coalesce(key_id, ''), coalesce(route, ''), coalesce(model, ''), coalesce(deployment, ''), status`.execute(db);
  },
  async down(db: AnyDb) {
    await db.schema.dropTable('audit_rollup_hourly').ifExists().execute();
    await db.schema.alterTable('audit_log').dropColumn('route_excluded_json').execute();
    for (const name of ['audit_log_created_request', 'audit_log_request', 'audit_log_route_created', 'audit_log_model_created', 'audit_log_deployment_created', 'audit_log_status_created']) {
      await db.schema.dropIndex(name).ifExists().execute();
    }
  },
};

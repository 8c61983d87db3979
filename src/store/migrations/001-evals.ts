/** Eval runs, graded results and the response cache. */
import type { Kysely, Migration } from 'kysely';

// `Kysely<any>` is Kysely's own convention for migrations: they must not depend on today's schema type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export const evalsMigration: Migration = {
  async up(db: AnyDb) {
    await db.schema.createTable('eval_runs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('started_at', 'bigint', (c) => c.notNull())
      .addColumn('finished_at', 'bigint')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('simulated', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('options_json', 'text', (c) => c.notNull())
      .addColumn('summary_json', 'text')
      .execute();
    await db.schema.createIndex('eval_runs_started').on('eval_runs').column('started_at').execute();

    await db.schema.createTable('eval_results')
      .addColumn('run_id', 'text', (c) => c.notNull().references('eval_runs.id').onDelete('cascade'))
      .addColumn('suite', 'text', (c) => c.notNull())
      .addColumn('item_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('category', 'text')
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('repeat', 'integer', (c) => c.notNull())
      .addColumn('request_hash', 'text', (c) => c.notNull())
      .addColumn('response_json', 'text')
      .addColumn('prompt_tokens', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('completion_tokens', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('cached_tokens', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('reasoning_tokens', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('cost_nano', 'bigint')
      .addColumn('latency_ms', 'double precision')
      .addColumn('ttft_ms', 'double precision')
      .addColumn('from_cache', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('pass', 'integer', (c) => c.notNull())
      .addColumn('score', 'double precision', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('details_json', 'text')
      .addColumn('error_code', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('eval_results_pk', ['run_id', 'suite', 'item_id', 'model', 'repeat'])
      .execute();
    // Router quality lookups: one model, one task kind, newest runs first.
    await db.schema.createIndex('eval_results_model_kind').on('eval_results').columns(['model', 'kind', 'run_id']).execute();
    // Diffs and trends: one suite across runs.
    await db.schema.createIndex('eval_results_suite_run').on('eval_results').columns(['suite', 'run_id']).execute();

    await db.schema.createTable('eval_cache')
      .addColumn('request_hash', 'text', (c) => c.primaryKey())
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('response_json', 'text', (c) => c.notNull())
      .addColumn('deployment', 'text', (c) => c.notNull())
      .addColumn('cost_nano', 'bigint')
      .addColumn('latency_ms', 'double precision', (c) => c.notNull())
      .addColumn('ttft_ms', 'double precision')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
  },
  async down(db: AnyDb) {
    await db.schema.dropTable('eval_cache').ifExists().execute();
    await db.schema.dropTable('eval_results').ifExists().execute();
    await db.schema.dropTable('eval_runs').ifExists().execute();
  },
};

/** Virtual keys, persisted budget spend and the per-request audit trail. */
import type { Kysely, Migration } from 'kysely';

// `Kysely<any>` is Kysely's own convention for migrations: they must not depend on today's schema type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export const controlsMigration: Migration = {
  async up(db: AnyDb) {
    await db.schema.createTable('virtual_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('key_hash', 'text', (c) => c.notNull().unique())
      .addColumn('key_prefix', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('route', 'text')
      .addColumn('budgets_json', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('rpm', 'integer')
      .addColumn('tpm', 'integer')
      .addColumn('allowed_tools_json', 'text')
      .addColumn('tool_calls_per_minute', 'integer')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint')
      .addColumn('revoked_at', 'bigint')
      .execute();

    await db.schema.createTable('control_spend')
      .addColumn('scope', 'text', (c) => c.primaryKey())
      .addColumn('spent', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema.createTable('audit_log')
      .addColumn('request_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('key_id', 'text')
      .addColumn('key_name', 'text')
      .addColumn('route', 'text')
      .addColumn('deployment', 'text')
      .addColumn('model', 'text')
      .addColumn('reason', 'text')
      .addColumn('attempts_json', 'text')
      .addColumn('retries', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('fallbacks', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('status', 'integer', (c) => c.notNull())
      .addColumn('error_code', 'text')
      .addColumn('prompt_tokens', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('completion_tokens', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('cached_tokens', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('reasoning_tokens', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('cost_nano', 'bigint')
      .addColumn('latency_ms', 'double precision', (c) => c.notNull())
      .addColumn('ttft_ms', 'double precision')
      .addColumn('cache_hit', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('streamed', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('blocked_tools_json', 'text')
      .addColumn('prompt_hash', 'text')
      .addColumn('prompt_body', 'text')
      .addColumn('response_body', 'text')
      .execute();
    await db.schema.createIndex('audit_log_created').on('audit_log').column('created_at').execute();
    await db.schema.createIndex('audit_log_key_created').on('audit_log').columns(['key_id', 'created_at']).execute();
  },
  async down(db: AnyDb) {
    await db.schema.dropTable('audit_log').ifExists().execute();
    await db.schema.dropTable('control_spend').ifExists().execute();
    await db.schema.dropTable('virtual_keys').ifExists().execute();
  },
};

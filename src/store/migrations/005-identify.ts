/** Identifications of deployments (`arbiter identify`): one row per run. */
import type { Kysely, Migration } from 'kysely';

// `Kysely<any>` is Kysely's own convention for migrations: they must not depend on today's schema type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export const identifyMigration: Migration = {
  async up(db: AnyDb) {
    await db.schema.createTable('identifications')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('deployment', 'text', (c) => c.notNull())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('family', 'text', (c) => c.notNull())
      .addColumn('probability', 'double precision', (c) => c.notNull())
      .addColumn('confident', 'integer', (c) => c.notNull())
      .addColumn('fingerprint', 'text', (c) => c.notNull())
      .addColumn('changed', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('change_reason', 'text')
      .addColumn('requests', 'integer', (c) => c.notNull())
      .addColumn('prompt_tokens', 'integer', (c) => c.notNull())
      .addColumn('report_json', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('identifications_deployment_created').on('identifications').columns(['deployment', 'created_at']).execute();
  },
  async down(db: AnyDb) {
    await db.schema.dropTable('identifications').execute();
  },
};

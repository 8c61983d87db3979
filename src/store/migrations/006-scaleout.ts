/** The shared-admission ledger: one row per (reservation, scope), written from the Redis stream. */
import type { Kysely, Migration } from 'kysely';

// `Kysely<any>` is Kysely's own convention for migrations: they must not depend on today's schema type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export const scaleoutMigration: Migration = {
  async up(db: AnyDb) {
    await db.schema.createTable('budget_ledger')
      .addColumn('reservation_id', 'text', (c) => c.notNull())
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('reserved', 'bigint', (c) => c.notNull())
      .addColumn('actual', 'bigint')
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('opened_at', 'bigint', (c) => c.notNull())
      .addColumn('lease_expires_at', 'bigint', (c) => c.notNull())
      .addColumn('settled_at', 'bigint')
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('budget_ledger_pk', ['reservation_id', 'scope'])
      .execute();
    await db.schema.createIndex('budget_ledger_state_lease').on('budget_ledger').columns(['state', 'lease_expires_at']).execute();
  },
  async down(db: AnyDb) {
    await db.schema.dropTable('budget_ledger').ifExists().execute();
  },
};

/**
 * The entrance a request came in by (chat, messages, responses, embeddings) on its audit row,
 * and the Responses API's stored conversations for `previous_response_id`, which expire.
 */
import type { Kysely, Migration } from 'kysely';

// `Kysely<any>` is Kysely's own convention for migrations: they must not depend on today's schema type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export const entrancesMigration: Migration = {
  async up(db: AnyDb) {
    await db.schema.alterTable('audit_log').addColumn('entrance', 'text').execute();
    await db.schema.createTable('stored_responses')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('key_id', 'text')
      .addColumn('route', 'text', (c) => c.notNull())
      .addColumn('messages_json', 'text', (c) => c.notNull())
      .addColumn('response_json', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('stored_responses_expires').on('stored_responses').column('expires_at').execute();
  },
  async down(db: AnyDb) {
    await db.schema.dropTable('stored_responses').ifExists().execute();
    await db.schema.alterTable('audit_log').dropColumn('entrance').execute();
  },
};

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openTestStore, testDialects } from './test-support.js';

for (const dialect of await testDialects()) {
  test(`${dialect}: opens, migrates and answers a query`, async () => {
    const { store, cleanup } = await openTestStore(dialect);
    try {
      assert.equal(store.dialect, dialect);
      const result = await sql<{ n: number }>`select 1 + 1 as n`.execute(store.db);
      assert.equal(Number(result.rows[0]?.n), 2);
    } finally {
      await cleanup();
    }
  });
}

test('postgres: another schema holding Kysely migration tables does not stop ours being made', async (t) => {
  if (!(await testDialects()).includes('postgres')) return t.skip('no local Postgres');
  const { TEST_POSTGRES_URL } = await import('./test-support.js');
  const { dropPostgresSchema } = await import('./database.js');
  const pg = (await import('pg')).default;
  const decoy = `decoy_${process.pid}`;
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    // What a crashed test run or a second Arbiter leaves behind.
    await client.query(`CREATE SCHEMA ${decoy}; CREATE TABLE ${decoy}.kysely_migration (name text); CREATE TABLE ${decoy}.kysely_migration_lock (id text, is_locked int)`);
    const { store, cleanup } = await openTestStore('postgres');
    try {
      const rows = await store.db.selectFrom('audit_log').select('request_id').execute();
      assert.deepEqual(rows, []);
    } finally {
      await cleanup();
    }
  } finally {
    await client.end();
    await dropPostgresSchema(TEST_POSTGRES_URL, decoy);
  }
});

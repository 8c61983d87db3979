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

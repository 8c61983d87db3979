/**
 * Test helpers: every store test runs on SQLite and, when reachable, on the local Postgres in
 * a throwaway schema, so the one query layer is proven on both.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { dropPostgresSchema, openStore, type Store } from './database.js';

export const TEST_POSTGRES_URL = process.env.ARBITER_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let postgresReachable: Promise<boolean> | undefined;

export function isPostgresReachable(): Promise<boolean> {
  postgresReachable ??= (async () => {
    const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.end();
      return true;
    } catch {
      return false;
    }
  })();
  return postgresReachable;
}

export interface TestStore {
  store: Store;
  cleanup(): Promise<void>;
}

export async function openTestStore(dialect: 'sqlite' | 'postgres'): Promise<TestStore> {
  if (dialect === 'sqlite') {
    const store = await openStore('sqlite::memory:');
    return { store, cleanup: () => store.close() };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const store = await openStore(TEST_POSTGRES_URL, { schema });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await dropPostgresSchema(TEST_POSTGRES_URL, schema);
    },
  };
}

/** The dialects to run store tests on: SQLite always, Postgres when the local server answers. */
export async function testDialects(): Promise<Array<'sqlite' | 'postgres'>> {
  return (await isPostgresReachable()) ? ['sqlite', 'postgres'] : ['sqlite'];
}

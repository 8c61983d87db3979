/**
 * Opens the one query layer (Kysely) over the embedded default (SQLite, WAL) or Postgres,
 * and brings the schema up to date. Everything else talks to `Store.db` only.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type SqliteDatabase } from 'kysely';
import type { Database } from './schema.js';
import type { SqlDialectName } from './dialect.js';
import { migrationProvider } from './migrations/index.js';
import { startCheckpointer } from './sqlite-checkpointer.js';

export interface Store {
  db: Kysely<Database>;
  dialect: SqlDialectName;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** Postgres only: use (and create) this schema, e.g. one per test run. */
  schema?: string;
  migrate?: boolean;
  /**
   * SQLite only: WAL checkpoints on a worker thread instead of inside a commit (each one
   * stalls the writing thread ~10 ms). For long-running servers; a short command has no use
   * for the extra thread.
   */
  backgroundCheckpoints?: boolean;
}

// pg returns int8 as strings to protect precision; our int8 columns hold epoch ms and
// nano-dollars, both far below 2^53.
pg.types.setTypeParser(20, (value) => Number(value));

export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  const store = url.startsWith('postgres://') || url.startsWith('postgresql://')
    ? await openPostgres(url, options.schema)
    : openSqlite(url, options.backgroundCheckpoints === true);
  if (options.migrate !== false) await migrateToLatest(store.db, store.dialect);
  return store;
}

function sqlitePath(url: string): string {
  const path = url.replace(/^sqlite:(\/\/)?/, '');
  return path === '' ? ':memory:' : path;
}

function openSqlite(url: string, backgroundCheckpoints: boolean): Store {
  const path = sqlitePath(url);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new SQLite(path);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  const checkpointer = backgroundCheckpoints && path !== ':memory:' ? startCheckpointer(database, path) : undefined;
  return {
    db,
    dialect: 'sqlite',
    async close() {
      await db.destroy();
      await checkpointer?.stop();
    },
  };
}

const STATEMENT_CACHE_SIZE = 256;

/**
 * Kysely prepares every query anew; better-sqlite3's prepare costs as much as running a
 * small insert. Queries repeat (the audit writer's batch insert, budget upserts), so
 * statements are kept by SQL text. Kysely runs one query at a time on the connection, so a
 * cached statement is never busy when it is handed out again.
 */
function withStatementCache(database: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => { statements.clear(); database.close(); },
    prepare(text: string) {
      let statement = statements.get(text);
      if (statement) {
        statements.delete(text);
      } else {
        statement = database.prepare(text);
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value as string);
      }
      statements.set(text, statement);
      return statement;
    },
  };
}

async function openPostgres(url: string, schema?: string): Promise<Store> {
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`invalid Postgres schema name '${schema}'`);
  }
  if (schema) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

export async function migrateToLatest(db: Kysely<Database>, dialect: SqlDialectName = 'sqlite'): Promise<void> {
  // Kysely looks for its migration tables in every schema it can see unless told which one:
  // another schema's tables (a second Arbiter, a test run) would be taken for ours.
  const migrationTableSchema = dialect === 'postgres' ? await currentSchema(db) : undefined;
  const migrator = new Migrator({ db, provider: migrationProvider, allowUnorderedMigrations: true, ...(migrationTableSchema ? { migrationTableSchema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error');
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message ?? String(error)}`);
  }
}

async function currentSchema(db: Kysely<Database>): Promise<string> {
  const result = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const schema = result.rows[0]?.schema;
  if (!schema) throw new Error('Postgres has no current schema: set search_path or create the public schema');
  return schema;
}

/** Drops a Postgres test schema; no-op elsewhere. */
export async function dropPostgresSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

export { sql };

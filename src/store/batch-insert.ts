/**
 * Multi-row inserts with SQL compiled once per row count. Kysely rebuilds and compiles the
 * query tree for every batch, which costs several times what SQLite spends inserting it;
 * the audit writer and the eval runner insert a batch every few hundred milliseconds. The
 * SQL still comes from Kysely, so it is right for the store's dialect (`?` or `$n`).
 */
import { CompiledQuery, type InsertQueryBuilder, type InsertResult, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.js';

export type Executor = Kysely<Database> | Transaction<Database>;

/** The SQL dialect behind a Kysely instance: compiled text is only reusable within one. */
function dialectOf(executor: Executor): string {
  return executor.getExecutor().adapter.constructor.name;
}

type Insert<Table extends keyof Database> = InsertQueryBuilder<Database, Table, InsertResult>;

export class BatchInsert<Table extends keyof Database & string> {
  private readonly statements = new Map<string, string>();

  /**
   * `finish` adds what follows the values (an ON CONFLICT clause); it must bind no parameters
   * of its own, which the first compile checks.
   */
  constructor(
    private readonly table: Table,
    private readonly columns: ReadonlyArray<keyof Database[Table] & string>,
    private readonly finish: (query: Insert<Table>) => Insert<Table> = (query) => query,
  ) {}

  /** Rows as Kysely would take them: a missing optional column is bound as NULL. */
  async run(executor: Executor, rows: ReadonlyArray<Partial<Database[Table]>>): Promise<void> {
    if (rows.length === 0) return;
    const parameters: unknown[] = new Array(rows.length * this.columns.length);
    let at = 0;
    for (const row of rows) {
      for (const column of this.columns) parameters[at++] = (row as unknown as Record<string, unknown>)[column] ?? null;
    }
    await executor.executeQuery(CompiledQuery.raw(this.sqlFor(executor, rows.length), parameters));
  }

  private sqlFor(executor: Executor, count: number): string {
    const cacheKey = `${dialectOf(executor)}:${count}`;
    let text = this.statements.get(cacheKey);
    if (!text) {
      // Every value a placeholder: a number is bound as a parameter, never inlined.
      const template = Object.fromEntries(this.columns.map((column) => [column, 0]));
      const query = (executor as Kysely<Database>).insertInto(this.table).values(Array.from({ length: count }, () => template) as never);
      const compiled = this.finish(query as Insert<Table>).compile();
      if (compiled.parameters.length !== count * this.columns.length) {
        throw new Error(`batch insert into ${this.table}: expected ${count * this.columns.length} placeholders, Kysely compiled ${compiled.parameters.length}`);
      }
      text = compiled.sql;
      this.statements.set(cacheKey, text);
    }
    return text;
  }
}

/**
 * A select by one key value, compiled once: the eval runner looks its response cache up
 * before every task. `build` receives the key to bind and must bind nothing else.
 */
export class KeyLookup<Row> {
  private readonly texts = new Map<string, string>();

  constructor(private readonly build: (db: Kysely<Database>, key: string) => { compile(): CompiledQuery<Row> }) {}

  async first(db: Kysely<Database>, key: string): Promise<Row | undefined> {
    const dialect = dialectOf(db);
    let text = this.texts.get(dialect);
    if (text === undefined) {
      const compiled = this.build(db, key).compile();
      if (compiled.parameters.length !== 1 || compiled.parameters[0] !== key) {
        throw new Error('KeyLookup: the query must bind exactly the key');
      }
      text = compiled.sql;
      this.texts.set(dialect, text);
    }
    const result = await db.executeQuery(CompiledQuery.raw(text, [key]) as CompiledQuery<Row>);
    return result.rows[0];
  }
}

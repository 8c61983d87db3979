/**
 * Multi-row inserts with SQL compiled once per row count. Kysely rebuilds and compiles the
 * query tree for every batch, which costs several times what SQLite spends inserting it;
 * the audit writer inserts a batch every 200 ms under load. The SQL still comes from Kysely,
 * so it is right for the store's dialect (`?` or `$n` placeholders).
 */
import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.js';

type Executor = Kysely<Database> | Transaction<Database>;

export class BatchInsert<Table extends keyof Database & string> {
  private readonly statements = new Map<number, string>();

  constructor(private readonly table: Table, private readonly columns: ReadonlyArray<keyof Database[Table] & string>) {}

  async run(executor: Executor, rows: ReadonlyArray<Database[Table]>): Promise<void> {
    if (rows.length === 0) return;
    const parameters: unknown[] = new Array(rows.length * this.columns.length);
    let at = 0;
    for (const row of rows) {
      for (const column of this.columns) parameters[at++] = (row as unknown as Record<string, unknown>)[column] ?? null;
    }
    await executor.executeQuery(CompiledQuery.raw(this.sqlFor(executor, rows.length), parameters));
  }

  private sqlFor(executor: Executor, count: number): string {
    let text = this.statements.get(count);
    if (!text) {
      // Every value a placeholder: a number is bound as a parameter, never inlined.
      const template = Object.fromEntries(this.columns.map((column) => [column, 0]));
      const compiled = (executor as Kysely<Database>).insertInto(this.table).values(Array.from({ length: count }, () => template) as never).compile();
      if (compiled.parameters.length !== count * this.columns.length) {
        throw new Error(`batch insert into ${this.table}: expected ${count * this.columns.length} placeholders, Kysely compiled ${compiled.parameters.length}`);
      }
      text = compiled.sql;
      this.statements.set(count, text);
    }
    return text;
  }
}

/**
 * Budget ledgers: reserve a request's worst case on every scope it touches (all or nothing),
 * then settle to the actual amount or release on error. Scopes carry their period in the
 * name (`key:<id>:usd:month:2025-01`), so a new UTC day/week/month starts from zero.
 */
import type { Store } from '../store/database.js';
import { sql } from '../store/database.js';

export interface BudgetLine {
  scope: string;
  limit: number;
  amount: number;
  /** How long the scope must be remembered (until its period ends, plus slack). */
  ttlMs: number;
}

export interface ReserveResult {
  ok: boolean;
  /** Index of the first line that did not fit. */
  failedIndex?: number;
  /** Usage of each line before this reservation (settled plus held). */
  used: number[];
}

export interface SettleLine {
  scope: string;
  reserved: number;
  actual: number;
}

export interface BudgetLedger {
  reserve(lines: BudgetLine[]): Promise<ReserveResult>;
  /** Replaces each reservation by the actual amount (0 releases it). */
  settle(lines: SettleLine[]): Promise<void>;
  usage(scope: string): Promise<number>;
  close(): Promise<void>;
}

/** True when `amount` more does not fit: a zero-amount request is refused once the budget is spent. */
export function exceeds(used: number, amount: number, limit: number): boolean {
  return amount > 0 ? used + amount > limit : used >= limit;
}

export interface MemoryLedgerOptions {
  /** Persist settled spend here (loaded by `load()`, written every `persistMs` and on close). */
  store?: Store;
  persistMs?: number;
}

/**
 * In-process ledger: synchronous check-and-hold, so concurrent requests cannot overshoot.
 * Settled spend is written to SQL as increments (`spent = spent + delta`), never as this
 * process's total, so gateways sharing a database (or one restarted mid-period) add up
 * instead of overwriting each other; each write brings back the shared total. The batch
 * window is `persistMs` (5 s by default): a crash loses at most the spend settled since
 * the last write, and `close()` writes everything.
 */
export class MemoryBudgetLedger implements BudgetLedger {
  private readonly settled = new Map<string, number>();
  private readonly held = new Map<string, number>();
  /** Settled here but not yet written, per scope. */
  private readonly pending = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private persisting: Promise<void> = Promise.resolve();

  constructor(private readonly options: MemoryLedgerOptions = {}) {
    if (options.store && (options.persistMs ?? 5_000) > 0) {
      this.timer = setInterval(() => { this.persist().catch(() => undefined); }, options.persistMs ?? 5_000);
      this.timer.unref();
    }
  }

  /** Loads persisted spend (call once at start). */
  async load(): Promise<void> {
    if (!this.options.store) return;
    const rows = await this.options.store.db.selectFrom('control_spend').select(['scope', 'spent']).execute();
    for (const row of rows) this.settled.set(row.scope, Number(row.spent) + (this.pending.get(row.scope) ?? 0));
  }

  private used(scope: string): number {
    return (this.settled.get(scope) ?? 0) + (this.held.get(scope) ?? 0);
  }

  async reserve(lines: BudgetLine[]): Promise<ReserveResult> {
    const used = lines.map((line) => this.used(line.scope));
    for (let index = 0; index < lines.length; index++) {
      const line = lines[index];
      if (line && exceeds(used[index] ?? 0, line.amount, line.limit)) return { ok: false, failedIndex: index, used };
    }
    for (const line of lines) this.held.set(line.scope, (this.held.get(line.scope) ?? 0) + line.amount);
    return { ok: true, used };
  }

  async settle(lines: SettleLine[]): Promise<void> {
    for (const line of lines) {
      const held = (this.held.get(line.scope) ?? 0) - line.reserved;
      if (held <= 0) this.held.delete(line.scope);
      else this.held.set(line.scope, held);
      if (line.actual !== 0) {
        this.settled.set(line.scope, (this.settled.get(line.scope) ?? 0) + line.actual);
        if (this.options.store) this.pending.set(line.scope, (this.pending.get(line.scope) ?? 0) + line.actual);
      }
    }
  }

  async usage(scope: string): Promise<number> {
    return this.used(scope);
  }

  /** Adds each scope's unwritten spend to its row in one transaction, and takes back the totals. */
  persist(): Promise<void> {
    // After a failed write the next one still runs (a rejected chain would skip it forever).
    this.persisting = this.persisting.catch(() => undefined).then(async () => {
      const store = this.options.store;
      if (!store || this.pending.size === 0) return;
      const batch = [...this.pending];
      this.pending.clear();
      const now = Date.now();
      try {
        const totals = await store.db.transaction().execute(async (trx) => {
          const written: Array<[string, number]> = [];
          for (const [scope, delta] of batch) {
            const row = await trx.insertInto('control_spend').values({ scope, spent: delta, updated_at: now })
              .onConflict((oc) => oc.column('scope').doUpdateSet({ spent: sql<number>`control_spend.spent + excluded.spent`, updated_at: sql<number>`excluded.updated_at` }))
              .returning('spent')
              .executeTakeFirstOrThrow();
            written.push([scope, Number(row.spent)]);
          }
          return written;
        });
        // The shared total plus what was settled here while the write was on its way.
        for (const [scope, total] of totals) this.settled.set(scope, total + (this.pending.get(scope) ?? 0));
      } catch (error) {
        for (const [scope, delta] of batch) this.pending.set(scope, (this.pending.get(scope) ?? 0) + delta);
        throw error;
      }
    });
    return this.persisting;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.persist();
  }
}

/**
 * The shared-admission ledger (owned by controls, written off the request path from the
 * Redis stream): one row per reservation and budget scope, so a replayed event is a no-op.
 */
export type LedgerState = 'open' | 'settled' | 'reaped' | 'orphan';

export interface BudgetLedgerTable {
  reservation_id: string;
  /** Ledger scope, e.g. `key:<id>:usd:month:2025-01`. */
  scope: string;
  /** The worst case held at admission (nano-dollars or tokens). */
  reserved: number;
  /** What was charged; null while open. A reaped lease is charged its reserved amount. */
  actual: number | null;
  /** open | settled | reaped (its replica died; charged the reservation) | orphan (settled after its lease was lost). */
  state: string;
  /** Redis time, epoch ms. */
  opened_at: number;
  /** When an open lease is reaped if nothing settles it. */
  lease_expires_at: number;
  settled_at: number | null;
  /** When the scope's period (plus slack) is over: the counter may be forgotten. */
  expires_at: number;
}

export interface LedgerTables {
  budget_ledger: BudgetLedgerTable;
}

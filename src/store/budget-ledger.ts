/**
 * The shared-admission ledger's queries. Every write is keyed by (reservation, scope) and
 * ignores what it has already seen, so an event delivered twice changes nothing.
 */
import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { Database } from './schema.js';
import type { LedgerState } from './tables/ledger.js';

export interface LedgerReserveRow {
  reservationId: string;
  scope: string;
  reserved: number;
  openedAt: number;
  leaseExpiresAt: number;
  expiresAt: number;
}

export interface LedgerSettleRow {
  reservationId: string;
  scope: string;
  reserved: number;
  actual: number;
  state: Exclude<LedgerState, 'open'>;
  settledAt: number;
  expiresAt: number;
}

export type LedgerWrite = { type: 'reserve'; row: LedgerReserveRow } | { type: 'settle'; row: LedgerSettleRow };

type Db = Kysely<Database> | Transaction<Database>;

/** Applies events in order in one transaction: a reserve seen after its settle is ignored, a settle closes only an open row. */
export async function applyLedgerWrites(db: Kysely<Database>, writes: readonly LedgerWrite[]): Promise<void> {
  if (writes.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (const write of writes) await applyOne(trx, write);
  });
}

async function applyOne(db: Db, write: LedgerWrite): Promise<void> {
  if (write.type === 'reserve') {
    const row = write.row;
    await db.insertInto('budget_ledger').values({
      reservation_id: row.reservationId, scope: row.scope, reserved: row.reserved, actual: null, state: 'open',
      opened_at: row.openedAt, lease_expires_at: row.leaseExpiresAt, settled_at: null, expires_at: row.expiresAt,
    }).onConflict((oc) => oc.columns(['reservation_id', 'scope']).doNothing()).execute();
    return;
  }
  const row = write.row;
  await db.insertInto('budget_ledger').values({
    reservation_id: row.reservationId, scope: row.scope, reserved: row.reserved, actual: row.actual, state: row.state,
    opened_at: row.settledAt, lease_expires_at: row.settledAt, settled_at: row.settledAt, expires_at: row.expiresAt,
  }).onConflict((oc) => oc.columns(['reservation_id', 'scope'])
    .doUpdateSet({ actual: sql<number>`excluded.actual`, state: sql<string>`excluded.state`, settled_at: sql<number>`excluded.settled_at` })
    .where('budget_ledger.state', '=', 'open'))
    .execute();
}

export interface ScopeTotal {
  scope: string;
  spent: number;
  expiresAt: number;
}

/** Charged totals per scope whose period is not over at `now`. */
export async function settledTotals(db: Kysely<Database>, now: number): Promise<ScopeTotal[]> {
  const rows = await db.selectFrom('budget_ledger')
    .select(['scope', sql<number>`sum(actual)`.as('spent'), sql<number>`max(expires_at)`.as('expires_at')])
    .where('state', '<>', 'open').where('expires_at', '>', now)
    .groupBy('scope').execute();
  return rows.map((row) => ({ scope: row.scope, spent: Number(row.spent), expiresAt: Number(row.expires_at) }));
}

export interface OpenLease {
  reservationId: string;
  openedAt: number;
  leaseExpiresAt: number;
  lines: Array<{ scope: string; reserved: number; ttlMs: number }>;
}

/** Reservations not settled in the ledger, their lines in scope order of the rows (as reserved). */
export async function openLeases(db: Kysely<Database>): Promise<OpenLease[]> {
  const rows = await db.selectFrom('budget_ledger').selectAll().where('state', '=', 'open')
    .orderBy('reservation_id').orderBy('scope').execute();
  const leases = new Map<string, OpenLease>();
  for (const row of rows) {
    let lease = leases.get(row.reservation_id);
    if (!lease) {
      lease = { reservationId: row.reservation_id, openedAt: Number(row.opened_at), leaseExpiresAt: Number(row.lease_expires_at), lines: [] };
      leases.set(row.reservation_id, lease);
    }
    lease.lines.push({ scope: row.scope, reserved: Number(row.reserved), ttlMs: Math.max(1, Number(row.expires_at) - Number(row.opened_at)) });
  }
  return [...leases.values()];
}

export interface LedgerEntry {
  reservationId: string;
  scope: string;
  reserved: number;
  actual: number | null;
  state: string;
  openedAt: number;
}

export async function ledgerEntries(db: Kysely<Database>): Promise<LedgerEntry[]> {
  const rows = await db.selectFrom('budget_ledger').selectAll().orderBy('opened_at').execute();
  return rows.map((row) => ({ reservationId: row.reservation_id, scope: row.scope, reserved: Number(row.reserved), actual: row.actual === null ? null : Number(row.actual), state: row.state, openedAt: Number(row.opened_at) }));
}

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

/**
 * Applies a batch in one transaction with two multi-row statements (a row at a time was
 * slower than the replicas wrote): reserves first (ignored when the row exists, so a reserve
 * replayed after its settle changes nothing), then settles, which close only an open row.
 */
export async function applyLedgerWrites(db: Kysely<Database>, writes: readonly LedgerWrite[]): Promise<void> {
  const reserves = new Map<string, LedgerReserveRow>();
  const settles = new Map<string, LedgerSettleRow>();
  for (const write of writes) {
    const key = `${write.row.reservationId}\u0000${write.row.scope}`;
    if (write.type === 'reserve') reserves.set(key, write.row);
    else if (!settles.has(key)) settles.set(key, write.row);
  }
  if (reserves.size === 0 && settles.size === 0) return;
  await db.transaction().execute(async (trx) => {
    for (const chunk of chunks([...reserves.values()], 500)) await insertReserves(trx, chunk);
    for (const chunk of chunks([...settles.values()], 500)) await upsertSettles(trx, chunk);
  });
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let index = 0; index < items.length; index += size) out.push(items.slice(index, index + size));
  return out;
}

async function insertReserves(db: Db, rows: readonly LedgerReserveRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('budget_ledger').values(rows.map((row) => ({
    reservation_id: row.reservationId, scope: row.scope, reserved: row.reserved, actual: null, state: 'open',
    opened_at: row.openedAt, lease_expires_at: row.leaseExpiresAt, settled_at: null, expires_at: row.expiresAt,
  }))).onConflict((oc) => oc.columns(['reservation_id', 'scope']).doNothing()).execute();
}

async function upsertSettles(db: Db, rows: readonly LedgerSettleRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('budget_ledger').values(rows.map((row) => ({
    reservation_id: row.reservationId, scope: row.scope, reserved: row.reserved, actual: row.actual, state: row.state,
    opened_at: row.settledAt, lease_expires_at: row.settledAt, settled_at: row.settledAt, expires_at: row.expiresAt,
  }))).onConflict((oc) => oc.columns(['reservation_id', 'scope'])
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

/** Reservations not settled in the ledger (only those whose lease expired before `expiredBefore`, when given). */
export async function openLeases(db: Kysely<Database>, options: { expiredBefore?: number; limit?: number } = {}): Promise<OpenLease[]> {
  let query = db.selectFrom('budget_ledger').selectAll().where('state', '=', 'open');
  if (options.expiredBefore !== undefined) query = query.where('lease_expires_at', '<', options.expiredBefore);
  const rows = await query.orderBy('reservation_id').orderBy('scope').limit(options.limit ?? 1_000_000).execute();
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

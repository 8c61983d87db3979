/**
 * Which budget lines a request reserves: its key's and its route's, in one list so the ledger
 * checks and holds them all in one atomic call (memory: one synchronous step; Redis: one Lua
 * script). Pure: the caller supplies the clock and the worst case.
 */
import type { BudgetLedger, BudgetLine } from './budget.js';
import { describeBudget, formatBudgetAmount, formatTokens, formatUsd2, periodEnd, periodKey, type BudgetSpec } from './specs.js';

export type BudgetScope = 'key' | 'route';

/** Something that carries budgets: a virtual key (by id) or a route (by name). */
export interface BudgetOwner {
  scope: BudgetScope;
  id: string;
  /** `key 'support-bot'`, `route 'support-bot'`: how messages name it. */
  label: string;
  budgets: readonly BudgetSpec[];
}

export interface Reservation {
  owner: BudgetOwner;
  spec: BudgetSpec;
  line: BudgetLine;
}

export function keyBudgetOwner(key: { id: string; name: string; budgets: readonly BudgetSpec[] }): BudgetOwner {
  return { scope: 'key', id: key.id, label: `key '${key.name}'`, budgets: key.budgets };
}

export function routeBudgetOwner(name: string, budgets: readonly BudgetSpec[]): BudgetOwner {
  return { scope: 'route', id: name, label: `route '${name}'`, budgets };
}

/** The ledger scope: owner, kind and period in the name, so a new UTC period starts at zero. */
export function budgetScope(owner: Pick<BudgetOwner, 'scope' | 'id'>, spec: BudgetSpec, at: number): string {
  return `${owner.scope}:${owner.id}:${spec.kind}:${spec.period}:${periodKey(spec.period, at)}`;
}

export interface PlanInput {
  owners: readonly BudgetOwner[];
  at: number;
  worstCostNano: number;
  worstTokens: number;
}

export function planReservations(input: PlanInput): Reservation[] {
  const reservations: Reservation[] = [];
  for (const owner of input.owners) {
    for (const spec of owner.budgets) {
      reservations.push({
        owner,
        spec,
        line: {
          scope: budgetScope(owner, spec, input.at),
          limit: spec.limit,
          amount: spec.kind === 'usd' ? input.worstCostNano : input.worstTokens,
          // Remembered until its period ends, plus a day of slack.
          ttlMs: periodEnd(spec.period, input.at) - input.at + 86_400_000,
        },
      });
    }
  }
  return reservations;
}

/** The first dollar budget among the owners (the one an unpriced chain cannot keep). */
export function firstUsdBudget(owners: readonly BudgetOwner[]): { owner: BudgetOwner; spec: BudgetSpec } | undefined {
  for (const owner of owners) {
    const spec = owner.budgets.find((budget) => budget.kind === 'usd');
    if (spec) return { owner, spec };
  }
  return undefined;
}

export function budgetMessage(reservation: Reservation, used: number): string {
  const { spec } = reservation;
  const verb = spec.kind === 'usd' ? 'spent' : 'used';
  const may = spec.kind === 'usd' ? 'cost' : 'use';
  return `${reservation.owner.label} budget ${describeBudget(spec)} exhausted: ${verb} ${formatBudgetAmount(spec.kind, used)}, this request may ${may} up to ${formatBudgetAmount(spec.kind, reservation.line.amount)}`;
}

export interface BudgetWarning {
  reservation: Reservation;
  text: string;
}

/** Lines at 80% or more once this reservation is held; `used` is each line's usage before it. */
export function budgetWarnings(reservations: readonly Reservation[], used: readonly number[]): BudgetWarning[] {
  const warnings: BudgetWarning[] = [];
  reservations.forEach((reservation, index) => {
    const after = (used[index] ?? 0) + reservation.line.amount;
    const share = reservation.spec.limit > 0 ? after / reservation.spec.limit : 1;
    if (share >= 0.8) {
      warnings.push({ reservation, text: `${reservation.owner.label} has used ${Math.min(100, Math.floor(share * 100))}% of ${describeBudget(reservation.spec)}` });
    }
  });
  return warnings;
}

export interface BudgetUsage {
  spec: BudgetSpec;
  /** Settled plus held in the period containing `at`. */
  used: number;
}

/** Each route budget's use in its current period, read from the ledger the gateway writes. */
export async function routeBudgetUsage(ledger: Pick<BudgetLedger, 'usage'>, routes: Record<string, { budgets: readonly BudgetSpec[] }>, at: number): Promise<Map<string, BudgetUsage[]>> {
  const usage = new Map<string, BudgetUsage[]>();
  for (const [name, route] of Object.entries(routes)) {
    if (route.budgets.length === 0) continue;
    const owner = { scope: 'route' as const, id: name };
    usage.set(name, await Promise.all(route.budgets.map(async (spec) => ({ spec, used: await ledger.usage(budgetScope(owner, spec, at)) }))));
  }
  return usage;
}

/** `$12.30 of $500.00/month`, `1.2M of 20M tokens/day`. */
export function describeUsage(usage: BudgetUsage): string {
  const used = usage.spec.kind === 'usd' ? formatUsd2(usage.used) : formatTokens(usage.used);
  return `${used} of ${describeBudget(usage.spec)}`;
}

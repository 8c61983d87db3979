/**
 * What a chat or embeddings request reserves and how it settles: the budgets that apply
 * (key, route), the worst case over the whole chain, and the settle lines. Pure: prices come
 * in as a `costOf` function, the ledger is the caller's.
 */
import type { ChatRequest } from '../core/chat-request.js';
import { requestedMaxTokens } from '../core/chat-request.js';
import { reasoningBudgetTokens } from '../core/reasoning-budget.js';
import type { Usage } from '../core/chat-response.js';
import type { Deployment } from '../core/provider.js';
import { ArbiterError } from '../core/errors.js';
import type { NanoUsd } from '../core/money.js';
import type { SettleLine } from './budget.js';
import { firstUsdBudget, keyBudgetOwner, routeBudgetOwner, type BudgetOwner, type Reservation } from './budget-plan.js';
import { describeBudget, type BudgetSpec } from './specs.js';
import type { TargetFacts } from './request-facts.js';

export type CostOf = (deployment: Deployment, usage: Usage) => NanoUsd | null;

/** Budgets that apply: the key's and, on a route, the route's (with or without a key). */
export function chatBudgetOwners(key: { id: string; name: string; budgets: readonly BudgetSpec[] } | undefined, target: Pick<TargetFacts, 'routeName' | 'route'>): BudgetOwner[] {
  const owners: BudgetOwner[] = [];
  if (key && key.budgets.length > 0) owners.push(keyBudgetOwner(key));
  const routeBudgets = target.route?.budgets;
  if (target.routeName && routeBudgets && routeBudgets.length > 0) owners.push(routeBudgetOwner(target.routeName, routeBudgets));
  return owners;
}

/** Route budgets belong to chat routes; an embedding spends from the key's budgets only. */
export function embeddingBudgetOwners(key: { id: string; name: string; budgets: readonly BudgetSpec[] } | undefined): BudgetOwner[] {
  return key && key.budgets.length > 0 ? [keyBudgetOwner(key)] : [];
}

/** Output tokens a chat request may bill: its cap (or the default) plus the thinking its reasoning_effort buys. */
export function outputAllowance(request: ChatRequest, defaultMaxTokens: number): number {
  return (requestedMaxTokens(request) ?? defaultMaxTokens) + reasoningBudgetTokens(request);
}

export interface WorstCaseInput {
  owners: readonly BudgetOwner[];
  chain: readonly Deployment[];
  promptTokens: number;
  outputTokens: number;
  costOf: CostOf;
}

/**
 * A fallback may land on a pricier deployment than the first: the reservation covers the
 * dearest priced one in the chain. A dollar budget cannot be kept on a chain with no price.
 */
export function worstCaseOverChain(input: WorstCaseInput): NanoUsd {
  const { owners, chain, promptTokens, outputTokens } = input;
  let worst: number | null = null;
  // Every prompt token at the full input price and the whole output cap: the runtime's own
  // prices (simulated profiles included), no cache discount assumed.
  const usage = { prompt_tokens: promptTokens, completion_tokens: outputTokens, total_tokens: promptTokens + outputTokens };
  for (const candidate of chain) {
    const cost = input.costOf(candidate, usage);
    if (cost !== null && (worst === null || cost > worst)) worst = cost;
  }
  const usd = worst === null && chain.length > 0 ? firstUsdBudget(owners) : undefined;
  if (usd) {
    throw new ArbiterError('budget_exceeded', `${usd.owner.label} budget ${describeBudget(usd.spec)} cannot be kept: ${chain.map((d) => d.name).join(', ')} ${chain.length === 1 ? 'has' : 'have'} no price, so the request's cost would be unknown`);
  }
  return worst ?? 0;
}

/** Settles each reservation to what the call cost; a call of unknown cost keeps its worst case, never zero. */
export function settleLines(reservations: readonly Reservation[], costNano: NanoUsd | null | undefined, tokens: number): SettleLine[] {
  return reservations.map((r) => ({
    scope: r.line.scope,
    reserved: r.line.amount,
    actual: r.spec.kind === 'usd' ? (costNano === null ? r.line.amount : costNano ?? 0) : tokens,
  }));
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment } from '../core/provider.js';
import { ArbiterError } from '../core/errors.js';
import { planReservations } from './budget-plan.js';
import { chatBudgetOwners, embeddingBudgetOwners, outputAllowance, settleLines, worstCaseOverChain } from './chat-budget.js';

const d = (name: string) => ({ name, model: 'm', provider: 'openai', upstreamModel: 'm', baseUrl: 'http://x' }) as Deployment;
const usd = { kind: 'usd' as const, limit: 1_000_000, period: 'month' as const };
const tokens = { kind: 'tokens' as const, limit: 10_000, period: 'day' as const };
const route = { budgets: [tokens], cache: { enabled: false, ttlSeconds: 1, allowNonZeroTemperature: false }, storeBodies: false };

test('chat budget: the key and the route both own budgets; an embedding spends from the key only', () => {
  const key = { id: 'k1', name: 'bot', budgets: [usd] };
  assert.deepEqual(chatBudgetOwners(key, { routeName: 'r', route }).map((o) => o.label), ["key 'bot'", "route 'r'"]);
  assert.deepEqual(chatBudgetOwners(undefined, { routeName: 'r', route }).map((o) => o.label), ["route 'r'"]);
  assert.deepEqual(chatBudgetOwners({ ...key, budgets: [] }, {}), []);
  assert.deepEqual(embeddingBudgetOwners(key).map((o) => o.label), ["key 'bot'"]);
});

test('chat budget: output allowance is the cap or the default, plus the thinking reasoning_effort buys', () => {
  const base = { model: 'm', messages: [{ role: 'user' as const, content: 'hi' }] };
  assert.equal(outputAllowance(base, 4096), 4096);
  assert.equal(outputAllowance({ ...base, max_tokens: 100 }, 4096), 100);
  assert.equal(outputAllowance({ ...base, max_completion_tokens: 50, max_tokens: 100 }, 4096), 50);
  assert.equal(outputAllowance({ ...base, reasoning_effort: 'low' }, 4096), 4096 + 2048);
});

test('chat budget: the worst case is the dearest priced deployment; an unpriced chain cannot keep a dollar budget', () => {
  const rates: Record<string, number | null> = { cheap: 1, dear: 10, free: null };
  const costOf = (deployment: Deployment, usage: { prompt_tokens: number; completion_tokens: number }) => {
    const rate = rates[deployment.name];
    return rate == null ? null : rate * (usage.prompt_tokens + usage.completion_tokens);
  };
  const owners = chatBudgetOwners({ id: 'k', name: 'bot', budgets: [usd] }, {});
  assert.equal(worstCaseOverChain({ owners, chain: [d('cheap'), d('dear'), d('free')], promptTokens: 10, outputTokens: 90, costOf }), 1000);
  assert.throws(() => worstCaseOverChain({ owners, chain: [d('free')], promptTokens: 10, outputTokens: 90, costOf }), (error: unknown) => error instanceof ArbiterError && /free has no price/.test(error.message));
  // A token budget needs no price.
  const tokenOwners = chatBudgetOwners({ id: 'k', name: 'bot', budgets: [tokens] }, {});
  assert.equal(worstCaseOverChain({ owners: tokenOwners, chain: [d('free')], promptTokens: 10, outputTokens: 90, costOf }), 0);
});

test('chat budget: settle lines bill the cost (usd) or the tokens; an unknown cost keeps the reservation', () => {
  const owners = chatBudgetOwners({ id: 'k', name: 'bot', budgets: [usd, tokens] }, {});
  const reservations = planReservations({ owners, at: Date.UTC(2026, 0, 5), worstCostNano: 5000, worstTokens: 300 });
  assert.deepEqual(settleLines(reservations, 1234, 77).map((l) => [l.reserved, l.actual]), [[5000, 1234], [300, 77]]);
  assert.deepEqual(settleLines(reservations, null, 77).map((l) => [l.reserved, l.actual]), [[5000, 5000], [300, 77]]);
});

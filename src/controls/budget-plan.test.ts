import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryBudgetLedger } from './budget.js';
import { budgetWarnings, describeUsage, keyBudgetOwner, planReservations, routeBudgetOwner, routeBudgetUsage } from './budget-plan.js';
import { parseBudget } from './specs.js';

const jan31 = Date.UTC(2025, 0, 31, 12);

test('budget plan: key and route lines in one list, scopes apart even when names match', () => {
  const key = keyBudgetOwner({ id: 'k1', name: 'support-bot', budgets: [parseBudget('50usd/month')] });
  const route = routeBudgetOwner('support-bot', [parseBudget('500usd/month'), parseBudget('20M/day')]);
  const lines = planReservations({ owners: [key, route], at: jan31, worstCostNano: 7, worstTokens: 1000 });
  assert.deepEqual(lines.map((r) => [r.line.scope, r.line.amount]), [
    ['key:k1:usd:month:2025-01', 7], ['route:support-bot:usd:month:2025-01', 7], ['route:support-bot:tokens:day:2025-01-31', 1000],
  ]);
  // Kept until the day after its period ends.
  assert.equal(lines[2]?.line.ttlMs, Date.UTC(2025, 1, 1) - jan31 + 86_400_000);
  assert.deepEqual(budgetWarnings(lines, [0, 400e9, 16e6]).map((w) => w.text), ["route 'support-bot' has used 80% of $500.00/month", "route 'support-bot' has used 80% of 20M tokens/day"]);
});

test('route budget usage reads the current period of each route from the ledger', async () => {
  const ledger = new MemoryBudgetLedger();
  const routes = { 'support-bot': { budgets: [parseBudget('1usd/month'), parseBudget('2k/day')] }, general: { budgets: [] } };
  const owner = routeBudgetOwner('support-bot', routes['support-bot'].budgets);
  const lines = planReservations({ owners: [owner], at: jan31, worstCostNano: 300_000_000, worstTokens: 1500 });
  assert.equal((await ledger.reserve(lines.map((r) => r.line))).ok, true);
  await ledger.settle(lines.map((r) => ({ scope: r.line.scope, reserved: r.line.amount, actual: r.spec.kind === 'usd' ? 250_000_000 : 1200 })));
  const usage = await routeBudgetUsage(ledger, routes, jan31);
  assert.deepEqual([...usage.keys()], ['support-bot']);
  assert.deepEqual(usage.get('support-bot')?.map(describeUsage), ['$0.25 of $1.00/month', '1.2k of 2k tokens/day']);
  // Another day of January: the day's tokens start fresh, the month's dollars carry on.
  const otherDay = await routeBudgetUsage(ledger, routes, Date.UTC(2025, 0, 30));
  assert.deepEqual(otherDay.get('support-bot')?.map((u) => u.used), [250_000_000, 0]);
  // February: both start from zero.
  const february = await routeBudgetUsage(ledger, routes, Date.UTC(2025, 1, 1));
  assert.deepEqual(february.get('support-bot')?.map((u) => u.used), [0, 0]);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ArbiterError } from '../core/errors.js';
import { parseTokenBudget, parseUsdBudget } from '../core/budget-spec.js';
import { parseConfig } from './load.js';

function configError(raw: unknown): string {
  try {
    parseConfig(raw, {});
  } catch (error) {
    assert.ok(error instanceof ArbiterError);
    return error.message;
  }
  assert.fail('the config was accepted');
}

test('route budgets parse with the syntax of keys create --budget / --tokens', () => {
  const config = parseConfig({ routes: { 'support-bot': { budgets: ['500usd/month', '$20/day', '20M/day', '1.5k tokens/week'] }, plain: {} } }, {});
  assert.deepEqual(config.routes['support-bot']?.budgets, [
    parseUsdBudget('500usd/month'), parseUsdBudget('20/day'), parseTokenBudget('20M/day'), parseTokenBudget('1500/week'),
  ]);
  assert.deepEqual(config.routes['support-bot']?.budgets[0], { kind: 'usd', limit: 500_000_000_000, period: 'month' });
  assert.deepEqual(config.routes['support-bot']?.budgets[3], { kind: 'tokens', limit: 1_500, period: 'week' });
  assert.deepEqual(config.routes.plain?.budgets, []);
});

test('bad route budgets are refused naming the field', () => {
  // A bare number could be dollars or tokens, a millionfold apart.
  assert.match(configError({ routes: { r: { budgets: ['500/month'] } } }), /routes\.r\.budgets\[0\]: budget must name its unit, like 500usd\/month or 20M\/day/);
  assert.match(configError({ routes: { r: { budgets: ['20M/day', '5usd/year'] } } }), /routes\.r\.budgets\[1\]: budget period must be day, week or month, got '5usd\/year'/);
  assert.match(configError({ routes: { r: { budgets: ['fifty dollars'] } } }), /routes\.r\.budgets\[0\]: budget must name its unit/);
  assert.match(configError({ routes: { r: { budgets: [50] } } }), /routes\.r\.budgets\[0\]: Invalid input: expected string/);
  assert.match(configError({ routes: { r: { budgets: '50usd/month' } } }), /routes\.r\.budgets: Invalid input: expected array/);
  // Two dollar budgets per day would share one ledger line.
  assert.match(configError({ routes: { r: { budgets: ['1usd/day', '$2/daily'] } } }), /routes\.r\.budgets\[1\]: a second dollar budget per day/);
  assert.match(configError({ routes: { r: { budget: ['1usd/day'] } } }), /routes\.r: Unrecognized key: "budget"/);
});

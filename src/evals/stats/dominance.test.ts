import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDominance, findLeader } from './dominance.js';
import { costPerSuccess } from './cost-per-success.js';
import { percentile } from './percentile.js';

test('a model whose upper bound is below the leader lower bound is dominated', () => {
  const leader = { passes: 19, total: 20 }; // lower ≈ 0.764
  const weak = { passes: 5, total: 20 }; // upper ≈ 0.467
  const verdict = checkDominance({ candidate: weak, leader, minSample: 10 });
  assert.equal(verdict.dominated, true);
  assert.equal(verdict.dominated && verdict.reason, 'below-leader');
});

test('overlapping intervals and small samples are not judged', () => {
  assert.equal(checkDominance({ candidate: { passes: 14, total: 20 }, leader: { passes: 17, total: 20 }, minSample: 10 }).dominated, false);
  assert.equal(checkDominance({ candidate: { passes: 0, total: 9 }, leader: { passes: 9, total: 9 }, minSample: 10 }).dominated, false);
});

test('the min-pass floor drops a model on its own', () => {
  const verdict = checkDominance({ candidate: { passes: 1, total: 20 }, minPass: 0.5, minSample: 10 });
  assert.equal(verdict.dominated && verdict.reason, 'below-min-pass');
});

test('the leader is the highest lower bound among sufficiently sampled tallies', () => {
  const a = { passes: 9, total: 10 };
  const b = { passes: 85, total: 100 }; // tighter interval, higher lower bound than 9/10
  const c = { passes: 5, total: 5 }; // too few samples
  assert.equal(findLeader([a, b, c], 10), b);
});

test('cost per success: value and interval from the Wilson bounds', () => {
  const result = costPerSuccess({ totalCostNano: 1000, passes: 5, total: 10 });
  assert.ok(result);
  assert.equal(result.valueNano, 200);
  assert.ok(Math.abs(result.lowerNano - 1000 / (10 * 0.76341)) < 0.1);
  assert.ok(Math.abs((result.upperNano ?? 0) - 1000 / (10 * 0.23659)) < 0.1);
  assert.equal(costPerSuccess({ totalCostNano: 1000, passes: 0, total: 10 }), null);
});

test('percentiles interpolate between ranks', () => {
  const values = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5];
  assert.equal(percentile(values, 0.5), 5.5);
  assert.ok(Math.abs((percentile(values, 0.95) ?? 0) - 9.55) < 1e-9);
  assert.equal(percentile([], 0.5), undefined);
  assert.equal(percentile([4], 0.95), 4);
});

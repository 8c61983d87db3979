import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wilsonInterval } from './wilson.js';

const close = (actual: number, expected: number, tolerance = 5e-5) =>
  assert.ok(Math.abs(actual - expected) < tolerance, `${actual} is not within ${tolerance} of ${expected}`);

// Hand-computed with z = 1.96, z² = 3.8415: denominator 1 + z²/n = 1.38415 for n = 10.
test('0/10: lower 0, upper z²/n / (1 + z²/n) = 0.27753', () => {
  const { lower, upper } = wilsonInterval(0, 10);
  assert.equal(lower, 0);
  close(upper, 0.27753);
});

test('5/10: centre 0.5, half 1.41603 · sqrt(0.025 + 0.0096) = 0.26341', () => {
  const { lower, upper } = wilsonInterval(5, 10);
  close(lower, 0.23659);
  close(upper, 0.76341);
});

test('10/10 mirrors 0/10', () => {
  const { lower, upper } = wilsonInterval(10, 10);
  close(lower, 1 - 0.27753);
  assert.equal(upper, 1);
});

test('no samples means no knowledge; bad counts throw', () => {
  assert.deepEqual(wilsonInterval(0, 0), { lower: 0, upper: 1 });
  assert.throws(() => wilsonInterval(3, 2), RangeError);
  assert.throws(() => wilsonInterval(-1, 2), RangeError);
});

test('the interval narrows as n grows at the same rate', () => {
  const small = wilsonInterval(8, 10);
  const large = wilsonInterval(800, 1000);
  assert.ok(large.upper - large.lower < (small.upper - small.lower) / 5);
  assert.ok(large.lower < 0.8 && large.upper > 0.8);
});

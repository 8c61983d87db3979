import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binomialCdfHalf, chiSquare1Survival, erfc, mcnemarTest } from './mcnemar.js';

const close = (actual: number, expected: number, tolerance = 1e-6) =>
  assert.ok(Math.abs(actual - expected) < tolerance, `${actual} is not within ${tolerance} of ${expected}`);

test('exact: b=10, c=2 gives p = 2 · (1 + 12 + 66) / 4096', () => {
  const result = mcnemarTest(10, 2);
  assert.equal(result.method, 'exact');
  close(result.pValue, (2 * 79) / 4096);
});

test('exact is symmetric in b and c and capped at 1', () => {
  assert.equal(mcnemarTest(3, 7).pValue, mcnemarTest(7, 3).pValue);
  assert.equal(mcnemarTest(4, 4).pValue, 1);
  assert.deepEqual(mcnemarTest(0, 0), { b: 0, c: 0, method: 'none', pValue: 1 });
});

test('chi-square with continuity correction at 25+ discordant pairs', () => {
  const result = mcnemarTest(30, 10);
  assert.equal(result.method, 'chi-square-cc');
  close(result.statistic ?? NaN, 361 / 40);
  assert.ok(result.pValue > 0.0025 && result.pValue < 0.0028, String(result.pValue));
});

test('chi-square 1 df survival hits the textbook critical values', () => {
  close(chiSquare1Survival(3.841458820694124), 0.05, 2e-7);
  close(chiSquare1Survival(6.634896601021214), 0.01, 2e-7);
  assert.equal(chiSquare1Survival(0), 1);
  close(erfc(0), 1, 2e-7);
  close(erfc(-1) + erfc(1), 2, 1e-12);
});

test('binomial CDF at one half', () => {
  close(binomialCdfHalf(0, 3), 1 / 8);
  close(binomialCdfHalf(3, 3), 1);
  close(binomialCdfHalf(500, 1000), 0.5126125, 1e-6);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareRuns } from './compare-runs.js';
import { suiteTrend } from './trend.js';
import { formatDiff, formatTrend } from './format-comparison.js';

const rows = (model: string, passes: boolean[], suite = 's') => passes.map((pass, index) => ({ suite, itemId: `i${index}`, model, repeat: 0, pass }));
const repeatBools = (pattern: boolean[], times: number) => Array.from({ length: times }, () => pattern).flat();

test('a significant drop on shared items is a regression; a small wobble is not', () => {
  const before = [...rows('m', repeatBools([true], 40)), ...rows('steady', repeatBools([true, false], 20))];
  const after = [...rows('m', [...repeatBools([true], 25), ...repeatBools([false], 15)]), ...rows('steady', [false, true, ...repeatBools([true, false], 19)])];
  const [m, steady] = compareRuns(before, after);
  assert.equal(m?.model, 'm');
  assert.equal(m?.shared, 40);
  assert.equal(m?.test.b, 15);
  assert.equal(m?.test.c, 0);
  assert.equal(m?.test.method, 'exact');
  assert.ok((m?.test.pValue ?? 1) < 0.001);
  assert.equal(m?.regression, true);
  assert.ok(Math.abs((m?.delta ?? 0) + 15 / 40) < 1e-12);
  assert.equal(steady?.regression, false);
  assert.equal(steady?.significant, false);
  assert.equal(steady?.test.b, 1);
  assert.equal(steady?.test.c, 1);
});

test('models only in one run are listed without a test', () => {
  const [only] = compareRuns(rows('gone', [true, true]), []);
  assert.equal(only?.b, undefined);
  assert.equal(only?.shared, 0);
  assert.equal(only?.test.method, 'none');
  assert.equal(only?.regression, false);
  assert.match(formatDiff({ runA: 'a', runB: 'b', simulated: true, comparisons: [only!] }, 'table'), /SIMULATED[\s\S]*no shared items/);
});

test('trend orders runs by time and tests the latest step per model', () => {
  const trend = suiteTrend('s', [
    { id: 'r3', startedAt: 3, simulated: false, rows: rows('m', [...repeatBools([true], 10), ...repeatBools([false], 20)]) },
    { id: 'r1', startedAt: 1, simulated: false, rows: rows('m', repeatBools([true], 30)) },
    { id: 'r2', startedAt: 2, simulated: false, rows: [...rows('m', repeatBools([true], 30)), ...rows('x', [true], 'other')] },
  ]);
  assert.deepEqual(trend.runs.map((run) => run.id), ['r1', 'r2', 'r3']);
  assert.deepEqual(trend.models.map((model) => model.model), ['m']);
  const m = trend.models[0];
  assert.deepEqual(m?.points.map((p) => p.passRate), [1, 1, 1 / 3]);
  assert.equal(m?.lastStep?.fromRunId, 'r2');
  assert.equal(m?.lastStep?.toRunId, 'r3');
  assert.equal(m?.lastStep?.regression, true);
  assert.match(formatTrend(trend, 'md'), /REGRESSION: m/);
  assert.match(formatTrend(trend, 'table'), /-66.7 pt on 30 /, 'the step is the paired change on the shared items');
  assert.doesNotMatch(formatTrend(trend, 'table'), /SIMULATED/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestStore, testDialects } from '../store/test-support.js';
import { runEval } from './runner/run-eval.js';
import { fakeChatClient, fakeSuite } from './runner/test-support.js';
import { loadQualitySource, qualityFor } from './quality.js';

for (const dialect of await testDialects()) {
  test(`${dialect}: quality per model and task kind comes from the latest run`, async () => {
    const { store, cleanup } = await openTestStore(dialect);
    try {
      const suites = [fakeSuite({ name: 'code-s', items: 20, kind: 'code' }), fakeSuite({ name: 'qa-s', items: 10, kind: 'qa' })];
      const client = fakeChatClient({ models: { m: { skill: 0.5, costNano: 40, latencyMs: 100 } } });
      let clock = 1_000;
      const summary = await runEval({ store, chatClient: client, suites, models: ['m'], now: () => clock++, newRunId: () => 'q1' });
      const code = summary.metrics.find((m) => m.suite === 'code-s');
      const quality = await qualityFor(store, 'm', 'code');
      assert.ok(quality && code);
      assert.equal(quality.total, 20);
      assert.equal(quality.passes, code.passes);
      assert.equal(quality.passRateLower, code.passRateLower);
      assert.equal(quality.avgCostNano, 40);
      assert.equal(quality.p95LatencyMs, 100);
      assert.deepEqual(quality.runIds, ['q1']);
      assert.equal(await qualityFor(store, 'm', 'tools'), undefined);
      const source = await loadQualitySource(store);
      assert.equal(source('m', 'qa')?.total, 10);
      assert.equal(source('x', 'qa'), undefined);
    } finally {
      await cleanup();
    }
  });
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestStore } from '../../store/test-support.js';
import { runEval } from '../runner/run-eval.js';
import { fakeChatClient, fakeSuite } from '../runner/test-support.js';
import { formatReport, reportFormats } from './format-report.js';
import { loadRunReport } from './run-report.js';
import { paretoFront } from './pareto.js';

test('the Pareto front keeps models no other beats on both cost and quality', () => {
  const front = paretoFront([
    { key: 'cheap-bad', costNano: 1, quality: 0.3 },
    { key: 'mid', costNano: 5, quality: 0.7 },
    { key: 'worse-mid', costNano: 6, quality: 0.6 },
    { key: 'best', costNano: 50, quality: 0.9 },
    { key: 'tie-best-costlier', costNano: 60, quality: 0.9 },
  ]);
  assert.deepEqual([...front].sort(), ['best', 'cheap-bad', 'mid']);
});

test('every format labels a simulated run, and the HTML is self-contained with the Pareto front marked', async () => {
  const { store, cleanup } = await openTestStore('sqlite');
  try {
    const client = fakeChatClient({
      models: {
        'sim-a': { skill: 0.9, costNano: 20_000 },
        'sim-b': { skill: 0.6, costNano: 1_000 },
        'sim-c': { skill: 0.5, costNano: 30_000 },
        'sim-free': { skill: 0.4, costNano: 0 },
        'sim-unpriced': { skill: 0.5, costNano: null },
      },
    });
    const summary = await runEval({
      store, chatClient: client, suites: [fakeSuite({ name: 'qa-mini', items: 30 })],
      models: ['sim-a', 'sim-b', 'sim-c', 'sim-free', 'sim-unpriced'], isSimulated: () => true, sleep: async () => {}, budgetNano: 10 ** 9,
    });
    const report = await loadRunReport(store, summary.runId);
    assert.equal(report.run.simulated, true);
    assert.deepEqual(report.metrics.map((m) => m.model)[0], 'sim-a');
    assert.ok(report.pareto['qa-mini']?.includes('sim-a'));
    assert.ok(report.pareto['qa-mini']?.includes('sim-free'));
    assert.ok(!report.pareto['qa-mini']?.includes('sim-c'), 'dearer and worse than sim-a');
    assert.equal(report.budget?.exhausted, false);
    for (const format of reportFormats) {
      const text = formatReport(report, format);
      assert.match(text, /SIMULATED/, format);
      assert.match(text, /sim-b/, format);
    }
    const html = formatReport(report, 'html');
    assert.match(html, /class="pareto-front"/);
    assert.match(html, /class="point pareto"/);
    assert.match(html, /Pareto front/);
    assert.match(html, /<svg /);
    assert.match(html, /class="banner"/);
    assert.doesNotMatch(html, /<script|<link|src=|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    const table = formatReport(report, 'table');
    assert.match(table, /unpriced/);
    assert.match(table, /sim-a \(SIMULATED\)\s+★/);
    const json = JSON.parse(formatReport(report, 'json')) as { label: string; metrics: unknown[] };
    assert.equal(json.label, 'SIMULATED');
    assert.equal(json.metrics.length, 5);
    await assert.rejects(loadRunReport(store, 'missing'), /no eval run/);
  } finally {
    await cleanup();
  }
});

test('a run of real models carries no SIMULATED label', async () => {
  const { store, cleanup } = await openTestStore('sqlite');
  try {
    const client = fakeChatClient({ models: { real: { skill: 0.5, costNano: 10 } } });
    const summary = await runEval({ store, chatClient: client, suites: [fakeSuite({ name: 's', items: 5 })], models: ['real'], sleep: async () => {} });
    const report = await loadRunReport(store, summary.runId);
    for (const format of reportFormats) assert.doesNotMatch(formatReport(report, format), /SIMULATED/, format);
  } finally {
    await cleanup();
  }
});

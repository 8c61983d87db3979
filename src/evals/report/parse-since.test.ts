import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSince } from './parse-since.js';
import { runSummaryJson, runSummaryLines } from './format-run-summary.js';
import type { RunSummary } from '../runner/types.js';

test('durations count back from now; dates parse; junk throws', () => {
  const now = 1_000_000_000_000;
  assert.equal(parseSince('7d', now), now - 7 * 86_400_000);
  assert.equal(parseSince('12h', now), now - 12 * 3_600_000);
  assert.equal(parseSince('30m', now), now - 30 * 60_000);
  assert.equal(parseSince('2025-01-31T00:00:00Z', now), Date.UTC(2025, 0, 31));
  assert.throws(() => parseSince('soon', now), /--since/);
});

test('the eval JSON summary is in USD with intervals and the SIMULATED label', () => {
  const summary: RunSummary = {
    runId: 'r', status: 'completed', simulated: true, simulatedModels: ['m'], startedAt: 0, finishedAt: 1, models: ['m'], suites: ['s'],
    planned: 10, graded: 10, resumedFrom: 0, cacheHits: 0, paidCalls: 10, retries: 0, errors: 0, spentNano: 2_000_000_000,
    metrics: [{
      model: 'm', suite: 's', kind: 'qa', passes: 5, total: 10, passRate: 0.5, passRateLower: 0.2366, passRateUpper: 0.7634,
      totalCostNano: 2_000_000_000, paidCostNano: 2_000_000_000, unpricedResults: 0,
      costPerSuccess: { valueNano: 400_000_000, lowerNano: 262_000_000, upperNano: null },
      latencyP50Ms: 10, latencyP95Ms: 20, ttftP50Ms: 5, promptTokens: 1, completionTokens: 1, errors: 0, errorRate: 0,
    }],
  };
  const json = runSummaryJson(summary) as { label: string; spentUsd: number; results: Array<Record<string, unknown>> };
  assert.equal(json.label, 'SIMULATED');
  assert.equal(json.spentUsd, 2);
  assert.equal(json.results[0]?.costPerSuccessUsd, 0.4);
  assert.deepEqual(json.results[0]?.costPerSuccessInterval, [0.262, null]);
  assert.equal(json.results[0]?.simulated, true);
  assert.match(runSummaryLines(summary).join('\n'), /SIMULATED/);
  assert.doesNotMatch(runSummaryLines(summary).join('\n'), /SIMULATED: SIMULATED/);
  const starved = { ...summary, graded: 0, paidCalls: 0, budget: { limitNano: 1000, spentNano: 0, exhausted: true, unscheduled: 10 } };
  assert.match(runSummaryLines(starved).join('\n'), /No call fitted: .*raise --budget-usd/);
  assert.doesNotMatch(runSummaryLines({ ...starved, paidCalls: 3 }).join('\n'), /No call fitted/);
});

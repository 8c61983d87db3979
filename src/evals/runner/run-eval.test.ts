import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ArbiterError } from '../../core/errors.js';
import { openTestStore } from '../../store/test-support.js';
import { loadEvalResults } from '../../store/eval-results.js';
import { getEvalRun } from '../../store/eval-runs.js';
import { runEval } from './run-eval.js';
import type { RunEvalOptions } from './types.js';
import { fakeChatClient, fakeSuite } from './test-support.js';

const noSleep = async () => {};
let ids = 0;
const nextId = () => `run-${++ids}`;

async function withStore(body: (store: Awaited<ReturnType<typeof openTestStore>>['store']) => Promise<void>) {
  const { store, cleanup } = await openTestStore('sqlite');
  try {
    await body(store);
  } finally {
    await cleanup();
  }
}

function base(store: RunEvalOptions['store'], overrides: Partial<RunEvalOptions>): RunEvalOptions {
  return { store, chatClient: fakeChatClient({ models: {} }), suites: [], models: [], sleep: noSleep, newRunId: nextId, ...overrides };
}

test('per-provider concurrency is respected and used', async () => {
  await withStore(async (store) => {
    const providerOf = (model: string) => model.slice(0, 1);
    const client = fakeChatClient({ models: { a1: { skill: 0.5, costNano: 1 }, a2: { skill: 0.5, costNano: 1 }, b1: { skill: 0.5, costNano: 1 } }, providerOf, delayMs: 1 });
    const summary = await runEval(base(store, { chatClient: client, suites: [fakeSuite({ name: 's', items: 12 })], models: ['a1', 'a2', 'b1'], providerOf, concurrency: 3 }));
    assert.equal(summary.graded, 36);
    assert.equal(client.maxInFlight.get('a'), 3);
    assert.equal(client.maxInFlight.get('b'), 3);
    const oneEach = fakeChatClient({ models: { a1: { skill: 0.5, costNano: 1 }, a2: { skill: 0.5, costNano: 1 } }, providerOf, delayMs: 1 });
    await runEval(base(store, { chatClient: oneEach, suites: [fakeSuite({ name: 's2', items: 6 })], models: ['a1', 'a2'], providerOf, concurrency: 1 }));
    assert.equal(oneEach.maxInFlight.get('a'), 1);
  });
});

test('items are interleaved across models', async () => {
  await withStore(async (store) => {
    const client = fakeChatClient({ models: { x: { skill: 1, costNano: 1 }, y: { skill: 1, costNano: 1 } } });
    await runEval(base(store, { chatClient: client, suites: [fakeSuite({ name: 's', items: 3 })], models: ['x', 'y'], providerOf: () => 'one', concurrency: 1 }));
    assert.deepEqual(client.calls.map((call) => `${call.model}:${call.prompt.slice(-1)}`), ['x:0', 'y:0', 'x:1', 'y:1', 'x:2', 'y:2']);
  });
});

test('retryable errors are retried honouring Retry-After; others become error rows', async () => {
  await withStore(async (store) => {
    const slept: number[] = [];
    const client = fakeChatClient({
      models: { m: { skill: 1, costNano: 10 } },
      fault: ({ prompt, attempt }) => {
        if (prompt.endsWith(' 0') && attempt < 2) return new ArbiterError('rate_limit_exceeded', 'slow down', { retryAfterMs: 1234 });
        if (prompt.endsWith(' 1')) return new ArbiterError('invalid_request', 'bad');
        if (prompt.endsWith(' 2')) return new ArbiterError('upstream_error', 'down');
        return undefined;
      },
    });
    const summary = await runEval(base(store, {
      chatClient: client, suites: [fakeSuite({ name: 's', items: 4 })], models: ['m'],
      sleep: async (ms) => { slept.push(ms); }, random: () => 0.5, retry: { maxRetries: 2, baseDelayMs: 100 },
    }));
    const rows = await loadEvalResults(store, summary.runId);
    const byItem = Object.fromEntries(rows.map((row) => [row.itemId, row]));
    assert.equal(byItem['s/0']?.pass, true);
    assert.equal(byItem['s/1']?.errorCode, 'invalid_request');
    assert.equal(byItem['s/2']?.errorCode, 'upstream_error');
    assert.equal(byItem['s/3']?.pass, true);
    // Two Retry-After waits for item 0, then jittered backoff 50 and 100 for item 2; none for item 1.
    assert.deepEqual(slept.sort((a, b) => a - b), [50, 100, 1234, 1234]);
    assert.equal(summary.retries, 4);
    assert.equal(summary.errors, 2);
    assert.equal(summary.metrics[0]?.errorRate, 0.5);
  });
});

test('the budget stops spending; concurrency overshoots by at most the in-flight calls', async () => {
  await withStore(async (store) => {
    const cost = 1000;
    const concurrency = 5;
    const suites = [fakeSuite({ name: 's', items: 100 })];
    // No estimator: reservations start at 0 and follow the highest cost seen.
    const client = fakeChatClient({ models: { m: { skill: 0.5, costNano: cost } }, delayMs: 0 });
    const loose = await runEval(base(store, { chatClient: client, suites, models: ['m'], concurrency, budgetNano: 10_500, useCache: false }));
    assert.equal(loose.status, 'budget_exhausted');
    assert.ok(loose.spentNano >= 10_000, `spent ${loose.spentNano}`);
    assert.ok(loose.spentNano <= 10_500 + concurrency * cost, `spent ${loose.spentNano}`);
    assert.equal(loose.budget?.exhausted, true);
    assert.equal(loose.budget?.unscheduled, 100 - loose.graded);
    assert.equal((await getEvalRun(store, loose.runId))?.status, 'budget_exhausted');
    // An exact estimator never overshoots, however many calls are in flight.
    const exact = await runEval(base(store, { chatClient: client, suites, models: ['m'], concurrency, budgetNano: 10_500, useCache: false, estimateCostNano: () => cost }));
    assert.equal(exact.spentNano, 10_000);
    assert.equal(exact.paidCalls, 10);
  });
});

test('the cache makes a rerun cost nothing and grade the same', async () => {
  await withStore(async (store) => {
    const client = fakeChatClient({ models: { m: { skill: 0.6, costNano: 500 }, n: { skill: 0.3, costNano: 50 } } });
    const options = base(store, { chatClient: client, suites: [fakeSuite({ name: 's', items: 20 })], models: ['m', 'n'], repeat: 2 });
    const first = await runEval(options);
    const callsAfterFirst = client.calls.length;
    const second = await runEval(options);
    assert.equal(callsAfterFirst, 80);
    assert.equal(first.spentNano, 40 * 500 + 40 * 50);
    assert.equal(client.calls.length, callsAfterFirst);
    assert.equal(second.spentNano, 0);
    assert.equal(second.paidCalls, 0);
    assert.equal(second.cacheHits, 80);
    assert.deepEqual(second.metrics.map((m) => [m.model, m.passes, m.totalCostNano, m.paidCostNano]), first.metrics.map((m) => [m.model, m.passes, m.totalCostNano, 0]));
  });
});

test('resume skips graded items and redoes failed ones', async () => {
  await withStore(async (store) => {
    const controller = new AbortController();
    let seen = 0;
    const flaky = fakeChatClient({
      models: { m: { skill: 0.5, costNano: 7 } },
      fault: ({ prompt }) => (prompt.endsWith(' 1') ? new ArbiterError('invalid_request', 'transient in this test') : undefined),
    });
    const suites = [fakeSuite({ name: 's', items: 30 })];
    const first = await runEval(base(store, {
      chatClient: flaky, suites, models: ['m'], concurrency: 1, batchSize: 1, signal: controller.signal, useCache: false,
      onProgress: (event) => { if (event.type === 'progress' && ++seen === 11) controller.abort(); },
    }));
    assert.equal(first.status, 'aborted');
    assert.equal(first.graded, 10);
    const healthy = fakeChatClient({ models: { m: { skill: 0.5, costNano: 7 } } });
    const resumed = await runEval(base(store, { chatClient: healthy, suites, models: ['m'], resumeRunId: first.runId, useCache: false }));
    assert.equal(resumed.runId, first.runId);
    assert.equal(resumed.resumedFrom, 9, 'the errored item is not counted as graded');
    assert.equal(healthy.calls.length, 21);
    assert.ok(healthy.calls.some((call) => call.prompt.endsWith(' 1')));
    assert.equal(resumed.status, 'completed');
    const rows = await loadEvalResults(store, first.runId);
    assert.equal(rows.length, 30);
    assert.equal(rows.filter((row) => row.errorCode !== null).length, 0);
    await assert.rejects(runEval(base(store, { resumeRunId: 'missing' })), /no eval run/);
  });
});

test('fail-fast drops a dominated model; survivors rank as in a full run', async () => {
  await withStore(async (store) => {
    const models = { strong: { skill: 0.95, costNano: 300 }, middle: { skill: 0.75, costNano: 100 }, weak: { skill: 0.15, costNano: 200 } };
    const suites = [fakeSuite({ name: 's', items: 80 })];
    const names = ['strong', 'middle', 'weak'];
    const fullClient = fakeChatClient({ models });
    const full = await runEval(base(store, { chatClient: fullClient, suites, models: names, useCache: false }));
    const fastClient = fakeChatClient({ models });
    const fast = await runEval(base(store, { chatClient: fastClient, suites, models: names, useCache: false, failFast: true, concurrency: 2 }));
    const skipped = fast.failFast?.skipped ?? [];
    const weakSkip = skipped.find((skip) => skip.model === 'weak');
    assert.ok(weakSkip && weakSkip.itemsSkipped > 40, JSON.stringify(skipped));
    assert.equal(weakSkip.reason, 'below-leader');
    assert.equal(weakSkip.estimatedSavedNano, 200 * weakSkip.itemsSkipped);
    assert.ok(!skipped.some((skip) => skip.model === 'strong'));
    assert.equal(fastClient.calls.length, 240 - skipped.reduce((sum, skip) => sum + skip.itemsSkipped, 0));
    assert.equal(fast.failFast?.estimatedSavedNano, skipped.reduce((sum, skip) => sum + skip.estimatedSavedNano, 0));
    assert.ok(fast.spentNano < full.spentNano);
    const rank = (summary: typeof full, keep: string[]) => summary.metrics.filter((m) => keep.includes(m.model)).sort((a, b) => b.passRate - a.passRate).map((m) => m.model);
    assert.deepEqual(rank(full, names), ['strong', 'middle', 'weak']);
    const survivors = names.filter((name) => !skipped.some((skip) => skip.model === name));
    assert.deepEqual(rank(fast, survivors), rank(full, survivors));
    // Every dropped model is below every survivor in the full run too.
    const fullRate = (model: string) => full.metrics.find((m) => m.model === model)?.passRate ?? NaN;
    for (const skip of skipped) for (const survivor of survivors) assert.ok(fullRate(skip.model) < fullRate(survivor));
    // A floor drops everything under it on its own.
    const floored = await runEval(base(store, { chatClient: fakeChatClient({ models }), suites, models: names, useCache: false, failFast: true, minPass: 0.9 }));
    assert.deepEqual(floored.failFast?.skipped.map((skip) => skip.model).sort(), ['middle', 'weak']);
  });
});

test('progress events count up to the total, with spend per model', async () => {
  await withStore(async (store) => {
    const events: Array<{ done: number; total: number; spent: number }> = [];
    const client = fakeChatClient({ models: { m: { skill: 1, costNano: 3 } } });
    await runEval(base(store, {
      chatClient: client, suites: [fakeSuite({ name: 's', items: 5 })], models: ['m'], isSimulated: () => true,
      onProgress: (event) => { if (event.type === 'progress') events.push({ done: event.done, total: event.total, spent: event.perModel.m?.spentNano ?? -1 }); },
    }));
    assert.deepEqual(events.at(-1), { done: 5, total: 5, spent: 15 });
    assert.equal(events[0]?.done, 0);
  });
});

test('a grader that throws fails the item with grader_error instead of crashing the run', async () => {
  await withStore(async (store) => {
    const exploding = { name: 'boom', grade: async () => { throw new Error('kaboom'); } };
    const summary = await runEval(base(store, {
      chatClient: fakeChatClient({ models: { m: { skill: 1, costNano: 1 } } }),
      suites: [fakeSuite({ name: 's', items: 2, grader: exploding })], models: ['m'],
    }));
    const rows = await loadEvalResults(store, summary.runId);
    assert.deepEqual(rows.map((row) => [row.pass, row.errorCode, row.reason]), [[false, 'grader_error', 'grader failed: kaboom'], [false, 'grader_error', 'grader failed: kaboom']]);
    assert.equal(summary.status, 'completed');
  });
});

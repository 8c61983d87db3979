import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestStore, testDialects } from './test-support.js';
import { createEvalRun, finishEvalRun, getEvalRun, listEvalRuns, markEvalRunResumed } from './eval-runs.js';
import { insertEvalResults, loadEvalResults, type EvalResultRecord } from './eval-results.js';
import { getCachedEvalResponse, putCachedEvalResponses } from './eval-cache.js';
import { listMeasuredPairs, loadQualityCounts } from './eval-quality.js';
import type { ChatResponse } from '../core/chat-response.js';

const response: ChatResponse = {
  id: 'r1', object: 'chat.completion', created: 1, model: 'm',
  choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop', logprobs: null }],
  usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
};

function record(overrides: Partial<EvalResultRecord>): EvalResultRecord {
  return {
    runId: 'run-a', suite: 's', itemId: 'i1', kind: 'code', category: null, model: 'm', repeat: 0, requestHash: 'h',
    response, promptTokens: 3, completionTokens: 1, cachedTokens: 0, reasoningTokens: 0, costNano: 100,
    latencyMs: 10, ttftMs: 2, fromCache: false, pass: true, score: 1, reason: 'ok', details: { valid_call: true },
    errorCode: null, createdAt: 1, ...overrides,
  };
}

for (const dialect of await testDialects()) {
  test(`${dialect}: runs round-trip and list newest first, filtered by suite`, async () => {
    const { store, cleanup } = await openTestStore(dialect);
    try {
      await createEvalRun(store, { id: 'run-a', startedAt: 1000, simulated: true, options: { models: ['m'] } });
      await createEvalRun(store, { id: 'run-b', startedAt: 2000, simulated: false, options: {} });
      await insertEvalResults(store, [record({ runId: 'run-a' })]);
      await finishEvalRun(store, 'run-a', { status: 'completed', finishedAt: 1500, summary: { skipped: [] } });
      const run = await getEvalRun(store, 'run-a');
      assert.deepEqual(run, { id: 'run-a', startedAt: 1000, finishedAt: 1500, status: 'completed', simulated: true, options: { models: ['m'] }, summary: { skipped: [] } });
      await markEvalRunResumed(store, 'run-a');
      assert.equal((await getEvalRun(store, 'run-a'))?.status, 'running');
      assert.deepEqual((await listEvalRuns(store)).map((r) => r.id), ['run-b', 'run-a']);
      assert.deepEqual((await listEvalRuns(store, { suite: 's' })).map((r) => r.id), ['run-a']);
      assert.deepEqual((await listEvalRuns(store, { since: 1500 })).map((r) => r.id), ['run-b']);
      assert.equal(await getEvalRun(store, 'nope'), undefined);
    } finally {
      await cleanup();
    }
  });

  test(`${dialect}: results insert in batches, upsert on the key, load with or without responses`, async () => {
    const { store, cleanup } = await openTestStore(dialect);
    try {
      await createEvalRun(store, { id: 'run-a', startedAt: 1, simulated: false, options: {} });
      const many = Array.from({ length: 95 }, (_, i) => record({ itemId: `i${String(i).padStart(3, '0')}`, pass: i % 2 === 0, costNano: i === 0 ? null : i }));
      await insertEvalResults(store, many);
      await insertEvalResults(store, [record({ itemId: 'i000', errorCode: 'upstream_error', pass: false, response: null })]);
      const loaded = await loadEvalResults(store, 'run-a');
      assert.equal(loaded.length, 95);
      assert.equal(loaded[0]?.itemId, 'i000');
      assert.equal(loaded[0]?.errorCode, 'upstream_error');
      assert.equal(loaded[0]?.costNano, 100);
      assert.equal(loaded[1]?.response, null, 'responses are left out unless asked');
      assert.deepEqual(loaded[1]?.details, { valid_call: true });
      const full = await loadEvalResults(store, 'run-a', { withResponses: true, model: 'm' });
      assert.deepEqual(full[1]?.response, response);
      assert.equal(full[1]?.costNano, 1);
      assert.equal(full[1]?.pass, false);
    } finally {
      await cleanup();
    }
  });

  test(`${dialect}: the cache keeps the first answer per hash`, async () => {
    const { store, cleanup } = await openTestStore(dialect);
    try {
      const entry = { requestHash: 'h1', model: 'm', response, deployment: 'd', costNano: 5, latencyMs: 1.5, ttftMs: null, createdAt: 1 };
      await putCachedEvalResponses(store, [entry, { ...entry, costNano: 9 }]);
      await putCachedEvalResponses(store, [{ ...entry, costNano: 7 }]);
      const hit = await getCachedEvalResponse(store, 'h1');
      assert.equal(hit?.costNano, 5);
      assert.deepEqual(hit?.response, response);
      assert.equal(await getCachedEvalResponse(store, 'h2'), undefined);
    } finally {
      await cleanup();
    }
  });

  test(`${dialect}: quality counts come from the newest run(s) for the model and kind`, async () => {
    const { store, cleanup } = await openTestStore(dialect);
    try {
      await createEvalRun(store, { id: 'old', startedAt: 1, simulated: false, options: {} });
      await createEvalRun(store, { id: 'new', startedAt: 2, simulated: false, options: {} });
      await insertEvalResults(store, [
        record({ runId: 'old', itemId: 'a', pass: false }),
        record({ runId: 'new', itemId: 'a', pass: true, latencyMs: 10, costNano: 100 }),
        record({ runId: 'new', itemId: 'b', pass: false, latencyMs: 30, costNano: null }),
        record({ runId: 'new', itemId: 'c', pass: false, errorCode: 'upstream_error', latencyMs: 999, costNano: null }),
        record({ runId: 'new', itemId: 'd', kind: 'qa' }),
      ]);
      const counts = await loadQualityCounts(store, 'm', 'code');
      assert.deepEqual(counts, { runIds: ['new'], passes: 1, total: 3, costSumNano: 100, pricedRows: 1, latenciesMs: counts?.latenciesMs });
      assert.deepEqual([...(counts?.latenciesMs ?? [])].sort((a, b) => a - b), [10, 30]);
      assert.equal((await loadQualityCounts(store, 'm', 'code', { runs: 2 }))?.total, 4);
      assert.equal(await loadQualityCounts(store, 'm', 'code', { since: 3 }), undefined);
      assert.equal(await loadQualityCounts(store, 'other', 'code'), undefined);
      const pairs = (await listMeasuredPairs(store)).map((p) => `${p.model}/${p.kind}`).sort();
      assert.deepEqual(pairs, ['m/code', 'm/qa']);
    } finally {
      await cleanup();
    }
  });
}

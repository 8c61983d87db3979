// Results reach the database by batch size or, with slow models, once the oldest has waited
// long enough, so a crash cannot lose many paid answers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createEvalRun } from '../../store/eval-runs.js';
import { loadEvalResults, type EvalResultRecord } from '../../store/eval-results.js';
import { openTestStore } from '../../store/test-support.js';
import { createResultWriter } from './result-writer.js';

const record = (itemId: string): EvalResultRecord => ({
  runId: 'run-w', suite: 's', itemId, kind: 'qa', category: null, model: 'm', repeat: 0, requestHash: `h-${itemId}`,
  response: null, promptTokens: 1, completionTokens: 1, cachedTokens: 0, reasoningTokens: 0, costNano: 1,
  latencyMs: 1, ttftMs: 1, fromCache: false, pass: true, score: 1, reason: 'ok', details: null, errorCode: null, createdAt: 1,
});

test('a batch is written when full or when its oldest result has waited maxDelayMs', async () => {
  const { store, cleanup } = await openTestStore('sqlite');
  try {
    await createEvalRun(store, { id: 'run-w', startedAt: 0, simulated: true, options: {} });
    let clock = 0;
    const writer = createResultWriter(store, 3, { maxDelayMs: 1000, now: () => clock });
    const stored = async () => (await loadEvalResults(store, 'run-w')).length;
    await writer.add(record('a'));
    clock = 999;
    await writer.add(record('b'));
    assert.equal(await stored(), 0, 'neither full nor old yet');
    clock = 1000;
    await writer.add(record('c'));
    assert.equal(await stored(), 3);
    clock = 5000;
    await writer.add(record('d'));
    clock = 6000;
    await writer.add(record('e'));
    assert.equal(await stored(), 5, 'the oldest waited 1000 ms: written before the batch filled');
  } finally {
    await cleanup();
  }
});

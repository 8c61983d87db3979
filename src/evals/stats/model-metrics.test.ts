// Tool-use rates read from real BFCL grades: valid-call and wrong-function rates count only
// items that expect a call, the hallucinated-call rate only irrelevance items.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bfclAstGrader, type BfclReference } from '../graders/bfcl-ast.js';
import { answerCalls, toolResponse, type SentCall } from '../graders/bfcl-test-support.js';
import { loadBfcl } from '../suites/bfcl.js';
import type { EvalItem } from '../types.js';
import { computeModelSuiteMetrics, type ResultForMetrics } from './model-metrics.js';

async function resultFor(item: EvalItem, calls: SentCall[]): Promise<ResultForMetrics> {
  const grade = await bfclAstGrader.grade({ item, response: toolResponse(calls, calls.length === 0 ? 'No tool fits.' : null) });
  return { suite: 'bfcl', model: 'm', kind: 'tools', pass: grade.pass, costNano: 10, fromCache: false, latencyMs: 5, ttftMs: 1, promptTokens: 1, completionTokens: 1, details: grade.details ?? null, errorCode: null };
}

test('tool rates: each over the items it is about', async () => {
  const [simpleA, simpleB, simpleC] = loadBfcl({ categories: ['simple'], limit: 3 }).items as [EvalItem, EvalItem, EvalItem];
  const irrelevant = loadBfcl({ categories: ['irrelevance'], limit: 4 }).items;
  const reference = (item: EvalItem) => item.reference as BfclReference;
  const [someTool] = Object.keys(reference(irrelevant[0] as EvalItem).toolNames);
  const results = await Promise.all([
    resultFor(simpleA, answerCalls(reference(simpleA))),
    resultFor(simpleB, answerCalls(reference(simpleB))),
    resultFor(simpleC, [{ name: 'not_a_declared_function', arguments: '{}' }]),
    resultFor(irrelevant[0] as EvalItem, [{ name: someTool as string, arguments: '{}' }]),
    ...irrelevant.slice(1).map((item) => resultFor(item, [])),
  ]);
  const [metrics] = computeModelSuiteMetrics(results);
  assert.equal(metrics?.passes, 5);
  assert.deepEqual(metrics?.tools, { validCallRate: 2 / 3, wrongFunctionRate: 1 / 3, hallucinatedCallRate: 1 / 4 });
});

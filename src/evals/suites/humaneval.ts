/**
 * HumanEval (Chen et al. 2021) as a `code` suite. The chat prompt shows the function stub and
 * asks for the whole function back in one python block; the code-exec grader also accepts a
 * bare body. Loads the upstream JSONL format from any path.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { createCodeExecGrader } from '../graders/code-exec.js';
import type { HumanEvalProblem } from '../graders/humaneval-program.js';
import type { EvalItem, Suite } from '../types.js';
import { datasetPaths } from './dataset-paths.js';
import type { SuiteLoadOptions } from './load-options.js';
import { parseJsonLines } from './read-jsonl.js';
import { sampleItems } from './sample-items.js';

export const humanEvalRecordSchema = z.object({
  task_id: z.string().min(1),
  prompt: z.string().min(1),
  canonical_solution: z.string().optional(),
  test: z.string().min(1),
  entry_point: z.string().min(1),
});

export type HumanEvalRecord = z.infer<typeof humanEvalRecordSchema>;

/** What a HumanEval item's `reference` holds. */
export interface HumanEvalReference extends HumanEvalProblem {
  taskId: string;
  canonicalSolution?: string;
}

export function parseHumanEval(text: string, source = 'HumanEval.jsonl'): HumanEvalRecord[] {
  return parseJsonLines(text, humanEvalRecordSchema, source);
}

export function humanEvalPrompt(record: HumanEvalRecord): string {
  return [
    'Complete the following Python function so that it behaves as its docstring describes.',
    'Return the complete function, including its signature and any imports it needs, in a single ```python code block.',
    '',
    '```python',
    record.prompt.trimEnd(),
    '```',
  ].join('\n');
}

export function humanEvalItem(record: HumanEvalRecord, suite = 'humaneval'): EvalItem {
  const reference: HumanEvalReference = {
    taskId: record.task_id,
    prompt: record.prompt,
    test: record.test,
    entryPoint: record.entry_point,
    ...(record.canonical_solution !== undefined ? { canonicalSolution: record.canonical_solution } : {}),
  };
  return { id: record.task_id, suite, kind: 'code', request: { messages: [{ role: 'user', content: humanEvalPrompt(record) }] }, reference };
}

export function humanEvalSuite(records: HumanEvalRecord[], options: SuiteLoadOptions & { name?: string } = {}): Suite {
  const name = options.name ?? 'humaneval';
  const grader = createCodeExecGrader({ services: options.services });
  return {
    name,
    kind: 'code',
    description: 'HumanEval: Python functions from docstrings, graded by running the unit tests in the sandbox',
    license: 'MIT (openai/human-eval)',
    items: sampleItems(records, options).map((record) => humanEvalItem(record, name)),
    graderFor: () => grader,
  };
}

export function loadHumanEval(path: string = datasetPaths.humaneval, options: SuiteLoadOptions & { name?: string } = {}): Suite {
  return humanEvalSuite(parseHumanEval(readFileSync(path, 'utf8'), path), options);
}

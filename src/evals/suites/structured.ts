/**
 * Arbiter's own structured-extraction suite: short texts (invoices, contacts, events, orders,
 * bug reports, addresses...) to extract into a JSON schema with strict `json_schema` response
 * format. Tasks are one JSON object per line, exactly {id, instruction, text, schema, expected};
 * the simulator reads the same file to know the right answers.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { structuredGrader, type StructuredReference } from '../graders/structured.js';
import type { EvalItem, Suite } from '../types.js';
import { datasetPaths } from './dataset-paths.js';
import type { SuiteLoadOptions } from './load-options.js';
import { parseJsonLines } from './read-jsonl.js';
import { sampleItems } from './sample-items.js';

export const structuredTaskSchema = z.strictObject({
  id: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, _ or -'),
  instruction: z.string().min(1),
  text: z.string().min(1),
  schema: z.record(z.string(), z.unknown()),
  expected: z.unknown(),
});

export type StructuredTask = z.infer<typeof structuredTaskSchema>;

export function parseStructuredTasks(text: string, source = 'structured.jsonl'): StructuredTask[] {
  return parseJsonLines(text, structuredTaskSchema, source);
}

/** The schema name OpenAI requires (^[a-zA-Z0-9_-]{1,64}$), from the task id. */
export function schemaName(id: string): string {
  return id.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64) || 'extraction';
}

export function structuredItem(task: StructuredTask, suite = 'structured'): EvalItem {
  const reference: StructuredReference = { schema: task.schema, expected: task.expected };
  const content = `${task.instruction} Reply with JSON only.\n\nText:\n${task.text}`;
  return {
    id: task.id,
    suite,
    kind: 'structured',
    request: {
      messages: [{ role: 'user', content }],
      response_format: { type: 'json_schema', json_schema: { name: schemaName(task.id), schema: task.schema, strict: true } },
    },
    reference,
  };
}

export function structuredSuite(tasks: StructuredTask[], options: SuiteLoadOptions & { name?: string } = {}): Suite {
  const name = options.name ?? 'structured';
  return {
    name,
    kind: 'structured',
    description: 'Structured extraction into a JSON schema (strict json_schema response format), field-level grading',
    license: 'MIT (authored for Arbiter)',
    items: sampleItems(tasks, options).map((task) => structuredItem(task, name)),
    graderFor: () => structuredGrader,
  };
}

export function loadStructured(path: string = datasetPaths.structured, options: SuiteLoadOptions & { name?: string } = {}): Suite {
  return structuredSuite(parseStructuredTasks(readFileSync(path, 'utf8'), path), options);
}

/**
 * Structured-output grading: the answer must parse as JSON (a fenced block is tolerated),
 * validate against the item's schema, and match the expected values field by field. The score
 * is the fraction of expected fields right (0 when the JSON is missing or invalid).
 */
import type { Grader } from '../types.js';
import { failed, passed } from './grade-result.js';
import { validateJsonSchema } from './json-schema-validator.js';
import { matchExpected } from './match-expected.js';
import { parseJsonOutput } from './parse-json-output.js';
import { responseText } from './response-text.js';

export interface StructuredReference {
  schema: Record<string, unknown>;
  expected: unknown;
}

export function isStructuredReference(value: unknown): value is StructuredReference {
  return typeof value === 'object' && value !== null && 'schema' in value && 'expected' in value;
}

export function gradeStructured(text: string, reference: StructuredReference) {
  const parsed = parseJsonOutput(text);
  if (!parsed.ok) return failed(parsed.error, { valid_json: false, schema_valid: false });
  const issues = validateJsonSchema(parsed.value, reference.schema);
  const match = matchExpected(parsed.value, reference.expected);
  const score = match.total === 0 ? 0 : match.matched / match.total;
  const details = { valid_json: true, schema_valid: issues.length === 0, fields_matched: match.matched, fields_total: match.total };
  if (issues.length > 0) {
    const first = issues[0];
    return failed(`schema: ${first?.path} ${first?.message}`, { ...details, schema_issues: issues.length }, 0);
  }
  if (match.mismatches.length > 0) return failed(match.mismatches[0] ?? 'fields differ', details, score);
  return passed('valid and matches the expected fields', details);
}

export const structuredGrader: Grader = {
  name: 'structured',
  async grade({ item, response }) {
    if (!isStructuredReference(item.reference)) return failed('item has no structured reference (schema, expected)');
    return gradeStructured(responseText(response), item.reference);
  },
};

/** `json_schema`: the output parses as JSON (a fenced block is fine) and validates against the schema. */
import type { AssertionGrader } from './assertion-context.js';
import { failed, passed } from './grade-result.js';
import { validateJsonSchema } from './json-schema-validator.js';
import { parseJsonOutput } from './parse-json-output.js';

export const gradeJsonSchema: AssertionGrader<{ type: 'json_schema'; value: Record<string, unknown> }> = async (assertion, { output }) => {
  const parsed = parseJsonOutput(output);
  if (!parsed.ok) return failed(`output is not JSON: ${parsed.error}`, { valid_json: false });
  const issues = validateJsonSchema(parsed.value, assertion.value);
  if (issues.length === 0) return passed('output JSON matches the schema', { valid_json: true, schema_issues: 0 });
  return failed(`schema: ${issues[0]?.path} ${issues[0]?.message}`, { valid_json: true, schema_issues: issues.length });
};

/** `equals`: the trimmed output equals the value; a non-string value is compared as JSON. */
import type { AssertionGrader } from './assertion-context.js';
import { failed, passed } from './grade-result.js';
import { jsonEquals } from './json-schema-validator.js';
import { parseJsonOutput } from './parse-json-output.js';

export const gradeEquals: AssertionGrader<{ type: 'equals'; value: unknown }> = async (assertion, { output }) => {
  if (typeof assertion.value === 'string') {
    return output.trim() === assertion.value.trim() ? passed('output equals the value') : failed(`expected ${JSON.stringify(assertion.value)}, got ${JSON.stringify(output.slice(0, 200))}`);
  }
  const parsed = parseJsonOutput(output);
  if (!parsed.ok) return failed(`output is not JSON: ${parsed.error}`);
  return jsonEquals(parsed.value, assertion.value) ? passed('output JSON equals the value') : failed(`expected ${JSON.stringify(assertion.value)}`);
};

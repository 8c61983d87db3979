/** `contains` / `icontains`: every given string occurs in the output (case-insensitively for icontains). */
import type { AssertionGrader } from './assertion-context.js';
import { failed, passed } from './grade-result.js';

function check(output: string, needles: string | string[], ignoreCase: boolean) {
  const list = Array.isArray(needles) ? needles : [needles];
  const haystack = ignoreCase ? output.toLowerCase() : output;
  const missing = list.filter((needle) => !haystack.includes(ignoreCase ? needle.toLowerCase() : needle));
  return missing.length === 0 ? passed(`output contains ${JSON.stringify(needles)}`) : failed(`output lacks ${JSON.stringify(missing)}`, undefined, (list.length - missing.length) / list.length);
}

export const gradeContains: AssertionGrader<{ type: 'contains'; value: string | string[] }> = async (assertion, { output }) => check(output, assertion.value, false);
export const gradeIContains: AssertionGrader<{ type: 'icontains'; value: string | string[] }> = async (assertion, { output }) => check(output, assertion.value, true);

/** `regex`: the output matches the pattern (JavaScript syntax, optional flags). */
import type { AssertionGrader } from './assertion-context.js';
import { failed, passed } from './grade-result.js';

export const gradeRegex: AssertionGrader<{ type: 'regex'; value: string; flags?: string }> = async (assertion, { output }) => {
  let pattern: RegExp;
  try {
    pattern = new RegExp(assertion.value, assertion.flags);
  } catch (error) {
    return failed(`invalid regex: ${(error as Error).message}`);
  }
  return pattern.test(output) ? passed(`output matches /${assertion.value}/`) : failed(`output does not match /${assertion.value}/`);
};

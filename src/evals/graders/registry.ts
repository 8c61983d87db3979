/**
 * Every grader by name. The records are typed against the unions of names, so adding an
 * assertion type or an item grader without registering it fails to compile (promptfoo's
 * `Record<BaseAssertionTypes, handler>` idea).
 */
import type { Grader, GraderServices } from '../types.js';
import type { Assertion, AssertionType } from './assertion.js';
import type { AssertionContext, AssertionGrader } from './assertion-context.js';
import { bfclAstGrader } from './bfcl-ast.js';
import { createCodeExecGrader } from './code-exec.js';
import { gradeContains, gradeIContains } from './contains.js';
import { gradeEquals } from './equals.js';
import { gradeJavascript } from './javascript.js';
import { gradeJsonSchema } from './json-schema.js';
import { gradeLlmJudge } from './llm-judge.js';
import { gradePython } from './python.js';
import { gradeRegex } from './regex.js';
import { squadGrader } from './squad.js';
import { structuredGrader } from './structured.js';

export const assertionGraders: { [K in AssertionType]: AssertionGrader<Extract<Assertion, { type: K }>> } = {
  equals: gradeEquals,
  contains: gradeContains,
  icontains: gradeIContains,
  regex: gradeRegex,
  json_schema: gradeJsonSchema,
  javascript: gradeJavascript,
  python: gradePython,
  'llm-judge': gradeLlmJudge,
};

export function runAssertion(assertion: Assertion, context: AssertionContext) {
  const grader = assertionGraders[assertion.type] as AssertionGrader<Assertion>;
  return grader(assertion, context);
}

export type ItemGraderName = 'code-exec' | 'squad' | 'bfcl-ast' | 'structured';

export const itemGraders: { [K in ItemGraderName]: (services?: GraderServices) => Grader } = {
  'code-exec': (services) => createCodeExecGrader(services ? { services } : {}),
  squad: () => squadGrader,
  'bfcl-ast': () => bfclAstGrader,
  structured: () => structuredGrader,
};

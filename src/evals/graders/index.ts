/** The graders' public surface. */
export { assertionGraders, itemGraders, runAssertion, type ItemGraderName } from './registry.js';
export { assertionSchema, type Assertion, type AssertionType } from './assertion.js';
export { createAssertionsGrader } from './assertions.js';
export { createCodeExecGrader } from './code-exec.js';
export { buildHumanEvalProgram } from './humaneval-program.js';
export { squadGrader } from './squad.js';
export { scoreSquad, normalizeAnswer, exactMatch, tokenF1 } from './squad-metrics.js';
export { bfclAstGrader, type BfclReference } from './bfcl-ast.js';
export { checkBfclCalls } from './bfcl-checker.js';
export { structuredGrader, gradeStructured } from './structured.js';
export { validateJsonSchema, type SchemaIssue } from './json-schema-validator.js';
export { judge } from './llm-judge.js';

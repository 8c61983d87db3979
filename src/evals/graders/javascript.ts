/**
 * `javascript`: an expression or a function body (anything with `return`) run with `output`
 * and `vars` in a fresh node:vm context: only the language's built-ins (no require, process,
 * timers), no eval/new Function from strings, and a timeout. Values are copied in as JSON so
 * no object from our realm is reachable. node:vm is not a security boundary against hostile
 * code (https://nodejs.org/api/vm.html); suite authors are trusted, model output is only data.
 */
import { createContext, runInContext } from 'node:vm';
import type { AssertionGrader } from './assertion-context.js';
import { gradeFromScriptResult } from './assertion-context.js';
import { failed } from './grade-result.js';

export function runJavascriptAssertion(code: string, output: string, vars: Record<string, unknown>, timeoutMs = 1000): unknown {
  const context = createContext(Object.create(null) as object, { codeGeneration: { strings: false, wasm: false } });
  const body = /\breturn\b/.test(code) ? code : `return (${code}\n);`;
  const script = `(function (output, vars) { "use strict";\n${body}\n})(JSON.parse(${JSON.stringify(JSON.stringify(output))}), JSON.parse(${JSON.stringify(JSON.stringify(vars))}))`;
  const result: unknown = runInContext(script, context, { timeout: timeoutMs, breakOnSigint: false });
  // Copy the answer out as JSON so nothing from the vm realm leaks back.
  return result === undefined ? undefined : (JSON.parse(JSON.stringify(result) ?? 'null') as unknown);
}

export const gradeJavascript: AssertionGrader<{ type: 'javascript'; value: string; timeoutMs?: number; threshold?: number }> = async (assertion, { output, vars }) => {
  let result: unknown;
  try {
    result = runJavascriptAssertion(assertion.value, output, vars, assertion.timeoutMs);
  } catch (error) {
    return failed(`javascript assertion threw: ${(error as Error).message}`);
  }
  const grade = gradeFromScriptResult(result, assertion.threshold);
  return { ...grade, reason: `javascript ${grade.reason}` };
};

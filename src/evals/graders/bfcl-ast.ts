/**
 * Grades a tool-calling response with BFCL's AST rules. The model's tool calls are decoded as
 * BFCL's OpenAI handler decodes them (`json.loads` of each call's arguments, keyed by function
 * name) after mapping sent names back to BFCL's originals; irrelevance items pass iff the model
 * made no (decodable) call, as BFCL's irrelevance checker counts a decode failure as no call.
 */
import type { ChatResponse } from '../../core/chat-response.js';
import type { Grader } from '../types.js';
import { checkBfclCalls, type BfclAnswer, type BfclCall, type BfclFunctionDoc } from './bfcl-checker.js';
import { failed, passed, type GradeDetails } from './grade-result.js';
import { isPyDict, parsePyJson, type PyValue } from './python-json.js';
import { responseToolCalls } from './response-text.js';

export interface BfclReference {
  category: string;
  functions: BfclFunctionDoc[];
  /** The possible-answer record's `ground_truth` as raw JSON (ints and floats kept apart); null for irrelevance. */
  groundTruth: string | null;
  /** Tool name sent to the model → BFCL's original function name. */
  toolNames: Record<string, string>;
}

export function isBfclReference(value: unknown): value is BfclReference {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.category === 'string' && Array.isArray(record.functions) && typeof record.toolNames === 'object';
}

/** `[{"fn": {"param": [acceptable...]}}, ...]` → one BfclAnswer per expected call. */
export function parseGroundTruth(json: string): BfclAnswer[] {
  const parsed = parsePyJson(json);
  if (!Array.isArray(parsed)) throw new Error('ground_truth is not a list');
  return parsed.map((entry) => {
    if (!isPyDict(entry) || entry.size !== 1) throw new Error('ground_truth entry is not a one-key object');
    const [name, params] = [...entry][0] as [string, PyValue];
    if (!isPyDict(params)) throw new Error(`ground_truth parameters of ${name} are not an object`);
    return { name, params };
  });
}

const isRelevanceOnly = (category: string): boolean => category.includes('relevance') && !category.includes('irrelevance');

/**
 * BFCL picks its checker from the category name; a file with a name of its own (my_tools.json)
 * gets the checker its data calls for: several expected calls → parallel (order-free), several
 * functions → multiple, else simple. On BFCL's own categories both readings agree.
 */
export function checkerCategory(category: string, functions: readonly unknown[], answers: readonly BfclAnswer[]): string {
  if (/parallel|multiple|simple/.test(category)) return category;
  if (answers.length > 1) return 'parallel';
  return functions.length > 1 ? 'multiple' : 'simple';
}

export type DecodedCalls = { calls: BfclCall[] } | { error: string };

export function decodeToolCalls(response: ChatResponse, toolNames: Record<string, string>): DecodedCalls {
  const calls: BfclCall[] = [];
  for (const call of responseToolCalls(response)) {
    const name = Object.hasOwn(toolNames, call.function.name) ? (toolNames[call.function.name] as string) : call.function.name;
    let args: PyValue;
    try {
      args = parsePyJson(call.function.arguments.trim() === '' ? '{}' : call.function.arguments);
    } catch (error) {
      return { error: `arguments of ${name} are not JSON: ${(error as Error).message}` };
    }
    if (!isPyDict(args)) return { error: `arguments of ${name} are not a JSON object` };
    calls.push({ name, args });
  }
  return { calls };
}

export const bfclAstGrader: Grader = {
  name: 'bfcl-ast',
  async grade({ item, response }) {
    const reference = item.reference;
    if (!isBfclReference(reference)) return failed('item has no BFCL reference');
    const decoded = decodeToolCalls(response, reference.toolNames);
    const made = 'calls' in decoded ? decoded.calls.length : 0;
    if (reference.groundTruth === null && isRelevanceOnly(reference.category)) {
      // BFCL's relevance check: any decodable, non-empty call passes; its arguments are not graded.
      const details = { valid_call: made > 0, calls: made };
      return made > 0 ? passed('made a call, as the question needs', details) : failed('error' in decoded ? decoded.error : 'no function call although one fits', details);
    }
    if (reference.groundTruth === null) {
      // Only the hallucination flag: valid/wrong-function rates are over items that expect a call.
      const details = { hallucinated_call: made > 0, calls: made };
      return made > 0 ? failed(`called ${'calls' in decoded ? decoded.calls.map((c) => c.name).join(', ') : ''} although no function fits`, details) : passed('correctly made no call', details);
    }
    if ('error' in decoded) return failed(decoded.error, { valid_call: false, wrong_function: false, wrong_args: true, error_type: 'decode_error' });
    if (made === 0) return failed('no function call', { valid_call: false, wrong_function: false, wrong_args: false, calls: 0, error_type: 'no_call' });
    const answers = parseGroundTruth(reference.groundTruth);
    const result = checkBfclCalls(checkerCategory(reference.category, reference.functions, answers), reference.functions, decoded.calls, answers);
    const expectedNames = new Set(answers.map((answer) => answer.name));
    const wrongFunction = decoded.calls.some((call) => !expectedNames.has(call.name));
    const wrongCount = !result.valid && result.errorType.endsWith('wrong_count');
    const details: GradeDetails = {
      valid_call: result.valid,
      wrong_function: !result.valid && wrongFunction,
      wrong_args: !result.valid && !wrongFunction && !wrongCount,
      calls: made,
      expected_calls: answers.length,
      ...(result.valid ? {} : { error_type: result.errorType }),
    };
    return result.valid ? passed('calls match a possible answer', details) : failed(result.error, details);
  },
};

/**
 * Test helpers for BFCL grading: turn a possible answer into the tool calls a perfect model
 * would make, and wrap tool calls in a chat response.
 */
import type { ChatResponse } from '../../core/chat-response.js';
import { parseGroundTruth, type BfclReference } from './bfcl-ast.js';
import type { BfclAnswer, BfclFunctionDoc } from './bfcl-checker.js';
import { isPyDict, toPyJson, type PyDict, type PyValue } from './python-json.js';

export interface SentCall {
  name: string;
  arguments: string;
}

export function toolResponse(calls: readonly SentCall[], content: string | null = null): ChatResponse {
  return {
    id: 'chatcmpl-test', object: 'chat.completion', created: 0, model: 'test',
    choices: [{
      index: 0, finish_reason: calls.length > 0 ? 'tool_calls' : 'stop', logprobs: null,
      message: { role: 'assistant', content, ...(calls.length > 0 ? { tool_calls: calls.map((call, i) => ({ id: `call_${i}`, type: 'function' as const, function: call })) } : {}) },
    }],
  };
}

/** "" among the alternatives means "may be omitted": omit, unless the doc requires it. */
function shouldOmit(param: string, alternatives: readonly PyValue[], doc: BfclFunctionDoc | undefined): boolean {
  if (!alternatives.includes('')) return false;
  const required = doc?.parameters.required ?? [];
  const declared = Object.hasOwn(doc?.parameters.properties ?? {}, param);
  return !required.includes(param) || !declared;
}

/** A dict answer lists alternatives per key; a concrete value takes the first of each. */
function concrete(value: PyValue): PyValue {
  if (isPyDict(value)) {
    const out: PyDict = new Map();
    for (const [key, alternatives] of value) {
      if (!Array.isArray(alternatives)) out.set(key, alternatives);
      else if (!alternatives.includes('')) out.set(key, alternatives[0] as PyValue);
    }
    return out;
  }
  if (Array.isArray(value) && value.length > 0 && value.every(isPyDict)) return value.map(concrete);
  return value;
}

export function answerArgs(answer: BfclAnswer, doc: BfclFunctionDoc | undefined): PyDict {
  const args: PyDict = new Map();
  for (const [param, acceptable] of answer.params) {
    const alternatives = Array.isArray(acceptable) ? acceptable : [];
    if (shouldOmit(param, alternatives, doc)) continue;
    const first = alternatives.find((value) => value !== '');
    if (first !== undefined) args.set(param, concrete(first));
  }
  return args;
}

export function answerCalls(reference: BfclReference): SentCall[] {
  if (reference.groundTruth === null) return [];
  const sentName = Object.fromEntries(Object.entries(reference.toolNames).map(([sent, original]) => [original, sent]));
  return parseGroundTruth(reference.groundTruth).map((answer) => ({
    name: sentName[answer.name] ?? answer.name,
    arguments: toPyJson(answerArgs(answer, reference.functions.find((doc) => doc.name === answer.name))),
  }));
}

/** Items no call can pass under BFCL's rules: a required parameter whose only answer is "", or an answer parameter the doc lacks. */
export function isUnsatisfiable(reference: BfclReference): boolean {
  if (reference.groundTruth === null) return false;
  return parseGroundTruth(reference.groundTruth).some((answer) => {
    const doc = reference.functions.find((candidate) => candidate.name === answer.name);
    const required = doc?.parameters.required ?? [];
    return [...answer.params].some(([param, acceptable]) => {
      const alternatives = Array.isArray(acceptable) ? acceptable : [];
      const onlyEmpty = alternatives.every((value) => value === '');
      const declared = Object.hasOwn(doc?.parameters.properties ?? {}, param);
      return (required.includes(param) && onlyEmpty) || (!declared && !alternatives.includes(''));
    });
  });
}

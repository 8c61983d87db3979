/**
 * `llm-judge`: asks a judge model whether the output meets a rubric. The judge answers JSON
 * {pass, score, reason} under a strict schema; a judge that ignores the format but says PASS or
 * FAIL on its first line is still understood. The ChatClient comes from the grader services.
 */
import type { ChatClient } from '../../core/chat-client.js';
import type { AssertionGrader } from './assertion-context.js';
import { failed } from './grade-result.js';
import { parseJsonOutput } from './parse-json-output.js';
import { responseText } from './response-text.js';

const verdictSchema = {
  type: 'object',
  properties: { pass: { type: 'boolean' }, score: { type: 'number', minimum: 0, maximum: 1 }, reason: { type: 'string' } },
  required: ['pass', 'score', 'reason'],
  additionalProperties: false,
};

const instructions = 'You are a strict grader. Decide whether the OUTPUT satisfies the RUBRIC. Answer with JSON {"pass": boolean, "score": number between 0 and 1, "reason": short string}.';

export interface JudgeVerdict {
  pass: boolean;
  score: number;
  reason: string;
}

export function readVerdict(text: string): JudgeVerdict | null {
  const parsed = parseJsonOutput(text);
  if (parsed.ok && typeof parsed.value === 'object' && parsed.value !== null) {
    const record = parsed.value as Record<string, unknown>;
    if (typeof record.pass === 'boolean') {
      const score = typeof record.score === 'number' ? Math.max(0, Math.min(1, record.score)) : record.pass ? 1 : 0;
      return { pass: record.pass, score, reason: typeof record.reason === 'string' ? record.reason : '' };
    }
  }
  const first = text.trim().split('\n')[0]?.toUpperCase() ?? '';
  if (/\bPASS\b/.test(first)) return { pass: true, score: 1, reason: text.trim().slice(0, 200) };
  if (/\bFAIL\b/.test(first)) return { pass: false, score: 0, reason: text.trim().slice(0, 200) };
  return null;
}

export async function judge(chat: ChatClient, options: { model: string; rubric: string; output: string; signal?: AbortSignal }): Promise<JudgeVerdict | null> {
  const result = await chat.chat({
    model: options.model,
    temperature: 0,
    messages: [
      { role: 'system', content: instructions },
      { role: 'user', content: `RUBRIC:\n${options.rubric}\n\nOUTPUT:\n${options.output}` },
    ],
    response_format: { type: 'json_schema', json_schema: { name: 'verdict', schema: verdictSchema, strict: true } },
  }, options.signal ? { signal: options.signal } : undefined);
  return readVerdict(responseText(result.response));
}

export const gradeLlmJudge: AssertionGrader<{ type: 'llm-judge'; rubric: string; model: string; threshold?: number }> = async (assertion, { output, services, signal }) => {
  const chat = services?.chat;
  if (!chat) return failed('llm-judge needs a chat client (none configured)', { error: 'no_judge' });
  const verdict = await judge(chat, { model: assertion.model, rubric: assertion.rubric, output, ...(signal ? { signal } : {}) });
  if (!verdict) return failed('judge answer not understood', { judge_model: assertion.model });
  const pass = verdict.pass && verdict.score >= (assertion.threshold ?? 0);
  return { pass, score: verdict.score, reason: `judge: ${verdict.reason || (pass ? 'pass' : 'fail')}`, details: { judge_model: assertion.model } };
};

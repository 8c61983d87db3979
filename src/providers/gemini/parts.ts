/** Gemini response parts → text, reasoning and OpenAI tool calls (shared by JSON and stream mapping). */
import { randomBytes } from 'node:crypto';
import type { ToolCall } from '../../core/chat-response.js';

export interface GeminiPart {
  text?: string;
  thought?: boolean;
  thoughtSignature?: string;
  functionCall?: { id?: string; name?: string; args?: unknown };
}

/**
 * The Gemini API usually issues no call ids. Ids we make up carry this prefix so the request
 * mapper knows not to send them back as if Gemini had issued them; they must be unique across
 * turns, because a tool message names its call by id alone.
 */
export const SYNTHETIC_CALL_PREFIX = 'call_gm';

export function syntheticCallId(responseId: string | undefined, candidate: number, call: number): string {
  const base = responseId ? responseId.replace(/[^a-zA-Z0-9]/g, '') : randomBytes(9).toString('hex');
  return `${SYNTHETIC_CALL_PREFIX}${base}_${candidate}_${call}`;
}

export interface SplitParts { text: string; reasoning: string; calls: ToolCall[] }

export function splitParts(parts: GeminiPart[], ids: { responseId: string | undefined; candidate: number; offset: number }): SplitParts {
  let text = '';
  let reasoning = '';
  const calls: ToolCall[] = [];
  for (const part of parts) {
    if (part.functionCall) {
      const call: ToolCall = {
        id: part.functionCall.id ?? syntheticCallId(ids.responseId, ids.candidate, ids.offset + calls.length),
        type: 'function',
        function: { name: part.functionCall.name ?? '', arguments: JSON.stringify(part.functionCall.args ?? {}) },
      };
      if (part.thoughtSignature) call.extra_content = { google: { thought_signature: part.thoughtSignature } };
      calls.push(call);
    } else if (typeof part.text === 'string') {
      if (part.thought) reasoning += part.text;
      else text += part.text;
    }
  }
  return { text, reasoning, calls };
}

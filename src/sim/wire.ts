/** What the three wire formats share: parse results, the render context, SSE helpers. */
import type { NeutralAnswer, NeutralRequest } from './answer.js';

/** `thinking`: Anthropic extended thinking was asked for (the answer then opens with a signed thinking block). */
export type ParseResult = { ok: true; request: NeutralRequest; includeUsage: boolean; thinking?: boolean } | { ok: false; status: number; message: string };

export interface RenderContext { id: string; model: string; created: number; includeUsage: boolean; thinking?: boolean }

export interface WireFormat {
  name: 'openai' | 'anthropic' | 'gemini';
  /** The JSON error body for a status and message. */
  error(status: number, message: string): string;
  /** `answers`: one per choice asked for, at least one (formats without choices render the first). */
  json(answers: readonly NeutralAnswer[], ctx: RenderContext): string;
  /** The complete SSE stream, frame by frame (each frame ends with a blank line). */
  stream(answers: readonly NeutralAnswer[], ctx: RenderContext): string[];
  /** A broken SSE frame for the malformed fault. */
  malformedFrame: string;
  /** The in-band error each format sends after a 200 (overloaded), for the stream-error fault. */
  streamErrorFrame: string;
  /** The HTTP status the same condition has before the first byte (Anthropic's 529). */
  overloadedStatus: number;
}

/** The text in chunks of a few words; the chunks concatenate to the text exactly. */
export function splitText(text: string, wordsPerChunk = 3): string[] {
  if (text.length === 0) return [];
  const pieces = text.match(/\s*\S+\s*/g) ?? [text];
  const joined = pieces.join('');
  if (joined !== text) return [text];
  const chunks: string[] = [];
  for (let i = 0; i < pieces.length; i += wordsPerChunk) chunks.push(pieces.slice(i, i + wordsPerChunk).join(''));
  return chunks;
}

/** A JSON string in two or more pieces. */
export function splitJson(json: string): string[] {
  if (json.length < 2) return [json, ''];
  const parts = Math.min(4, Math.max(2, Math.ceil(json.length / 24)));
  const size = Math.ceil(json.length / parts);
  const out: string[] = [];
  for (let i = 0; i < json.length; i += size) out.push(json.slice(i, i + size));
  if (out.length < 2) out.push('');
  return out;
}

/** Frames of several choices taken in turn, as a provider streams alternatives side by side. */
export function interleave<Frame>(framesPerChoice: readonly Frame[][]): Frame[] {
  const out: Frame[] = [];
  const longest = Math.max(0, ...framesPerChoice.map((frames) => frames.length));
  for (let at = 0; at < longest; at++) {
    for (const frames of framesPerChoice) if (at < frames.length) out.push(frames[at]!);
  }
  return out;
}

/** Completion tokens of every choice: what a provider bills for n alternatives. */
export function completionTokensOf(answers: readonly NeutralAnswer[]): number {
  return answers.reduce((sum, answer) => sum + answer.completionTokens, 0);
}

/** How many alternatives a request field asks for: a whole number from 1 to 128, else an error message. */
export function choiceCount(value: unknown, field: string): number | string {
  if (value === undefined || value === null) return 1;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 128) return `'${field}' must be an integer from 1 to 128.`;
  return value;
}

export function dataFrame(value: unknown): string {
  return `data: ${JSON.stringify(value)}\n\n`;
}

export function eventFrame(event: string, value: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(value)}\n\n`;
}

export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const parts: string[] = [];
  for (const part of content) {
    if (typeof part === 'string') parts.push(part);
    else if (typeof part === 'object' && part !== null && 'text' in part && typeof part.text === 'string') parts.push(part.text);
  }
  return parts.join('\n');
}

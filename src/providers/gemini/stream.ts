/**
 * streamGenerateContent?alt=sse → canonical chunks. Every event is a whole
 * GenerateContentResponse holding the next parts of each candidate; usageMetadata is
 * cumulative (the last one counts); a candidate ends with its finishReason; an error arrives
 * as `{ error: Status }` in place of a response.
 * https://ai.google.dev/api/generate-content#method:-models.streamgeneratecontent
 */
import type { ChatChunk, ChunkDelta } from '../../core/chat-response.js';
import { ArbiterError } from '../../core/errors.js';
import { geminiStreamError, type RpcStatus } from './errors.js';
import { mapGeminiFinishReason } from './finish-reason.js';
import { splitParts } from './parts.js';
import type { GeminiCandidate, GeminiResponse } from './response.js';
import { mapGeminiUsage, type GeminiUsage } from './usage.js';

interface CandidateState { started: boolean; tools: number; finished: boolean }

class StreamState {
  id = '';
  model: string;
  readonly created = Math.floor(Date.now() / 1000);
  usage: GeminiUsage | undefined;
  readonly candidates = new Map<number, CandidateState>();
  blocked = false;

  constructor(model: string) { this.model = model; }

  candidate(index: number): CandidateState {
    let state = this.candidates.get(index);
    if (!state) {
      state = { started: false, tools: 0, finished: false };
      this.candidates.set(index, state);
    }
    return state;
  }

  get finished(): boolean {
    if (this.blocked) return true;
    if (this.candidates.size === 0) return false;
    for (const state of this.candidates.values()) if (!state.finished) return false;
    return true;
  }

  chunk(choices: ChatChunk['choices']): ChatChunk {
    return { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, choices };
  }
}

function parseEvent(data: string): GeminiResponse & { error?: RpcStatus } {
  try {
    const value = JSON.parse(data) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as GeminiResponse & { error?: RpcStatus };
  } catch {
    // reported below
  }
  throw new ArbiterError('upstream_error', 'Gemini sent a malformed stream event.', { retryable: true });
}

function candidateChoice(state: StreamState, candidate: GeminiCandidate, position: number, responseId: string | undefined): ChatChunk['choices'][number] | undefined {
  const index = candidate.index ?? position;
  const own = state.candidate(index);
  const { text, reasoning, calls } = splitParts(candidate.content?.parts ?? [], { responseId, candidate: index, offset: own.tools });
  const delta: ChunkDelta = {};
  if (!own.started) { delta.role = 'assistant'; own.started = true; }
  if (text) delta.content = text;
  if (reasoning) delta.reasoning_content = reasoning;
  if (calls.length) {
    delta.tool_calls = calls.map((call, offset) => ({ index: own.tools + offset, id: call.id, type: 'function' as const, function: call.function, ...(call.extra_content ? { extra_content: call.extra_content } : {}) }));
  }
  own.tools += calls.length;
  const finish = candidate.finishReason ? mapGeminiFinishReason(candidate.finishReason, own.tools > 0) : null;
  if (finish) own.finished = true;
  if (Object.keys(delta).length === 0 && !finish) return undefined;
  return { index, delta, finish_reason: finish, ...(candidate.finishReason ? { native_finish_reason: candidate.finishReason } : {}) };
}

export async function* mapGeminiStream(events: AsyncIterable<{ data: string }>, upstreamModel: string): AsyncIterable<ChatChunk> {
  const state = new StreamState(upstreamModel);
  for await (const event of events) {
    const response = parseEvent(event.data);
    if (response.error) throw geminiStreamError(response.error);
    state.id ||= response.responseId ?? `gemini-${state.created}`;
    state.model = response.modelVersion ?? state.model;
    if (response.usageMetadata) state.usage = response.usageMetadata;
    const blockReason = response.promptFeedback?.blockReason;
    if (blockReason && !response.candidates?.length) {
      state.blocked = true;
      yield state.chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: 'content_filter', native_finish_reason: blockReason }]);
      continue;
    }
    const choices = (response.candidates ?? []).map((candidate, position) => candidateChoice(state, candidate, position, response.responseId)).filter((choice) => choice !== undefined);
    if (choices.length > 0) yield state.chunk(choices);
  }
  if (!state.finished) throw new ArbiterError('upstream_cut', 'Gemini ended the stream without a finish reason.', { retryable: true });
  if (state.usage) yield { ...state.chunk([]), usage: mapGeminiUsage(state.usage) };
}

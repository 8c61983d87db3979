/** A Gemini GenerateContentResponse → a canonical chat.completion. https://ai.google.dev/api/generate-content#generatecontentresponse */
import type { ChatChoice, ChatResponse } from '../../core/chat-response.js';
import { ArbiterError } from '../../core/errors.js';
import { mapGeminiFinishReason } from './finish-reason.js';
import { splitParts, type GeminiPart } from './parts.js';
import { mapGeminiUsage, type GeminiUsage } from './usage.js';

export interface GeminiCandidate { content?: { parts?: GeminiPart[] }; finishReason?: string; index?: number }
export interface GeminiResponse {
  candidates?: GeminiCandidate[];
  /** Present when the prompt itself was blocked; there are then no candidates. */
  promptFeedback?: { blockReason?: string };
  usageMetadata?: GeminiUsage;
  modelVersion?: string;
  responseId?: string;
}

/** A blocked prompt has no candidates; OpenAI clients expect a choice, so it is an empty filtered one. */
export function blockedChoice(reason: string): ChatChoice {
  return { index: 0, message: { role: 'assistant', content: '' }, finish_reason: 'content_filter', native_finish_reason: reason, logprobs: null };
}

export function fromGeminiResponse(body: unknown, upstreamModel: string): ChatResponse {
  const response = body as GeminiResponse;
  if (!response || typeof response !== 'object' || Array.isArray(response)) throw new ArbiterError('upstream_error', 'Gemini returned an unexpected response shape.', { retryable: true });
  const choices: ChatChoice[] = (response.candidates ?? []).map((candidate, position) => {
    const index = candidate.index ?? position;
    const { text, reasoning, calls } = splitParts(candidate.content?.parts ?? [], { responseId: response.responseId, candidate: index, offset: 0 });
    return {
      index,
      message: { role: 'assistant', content: text === '' && calls.length > 0 ? null : text, ...(reasoning ? { reasoning_content: reasoning } : {}), ...(calls.length ? { tool_calls: calls } : {}) },
      finish_reason: mapGeminiFinishReason(candidate.finishReason, calls.length > 0),
      ...(candidate.finishReason ? { native_finish_reason: candidate.finishReason } : {}),
      logprobs: null,
    };
  });
  const blockReason = response.promptFeedback?.blockReason;
  if (choices.length === 0 && blockReason) choices.push(blockedChoice(blockReason));
  return {
    id: response.responseId ?? `gemini-${Date.now()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: response.modelVersion ?? upstreamModel,
    choices,
    ...(response.usageMetadata ? { usage: mapGeminiUsage(response.usageMetadata) } : {}),
  };
}

/** Gemini GenerateContentResponse (whole or streamed) → canonical responses and chunks. */
import type { ChatChunk, ChatResponse, FinishReason, ToolCall, Usage } from '../../core/chat-response.js';
import { ArbiterError } from '../../core/errors.js';
import type { ErrorMessageParser } from '../http.js';

interface GeminiPart { text?: string; thought?: boolean; functionCall?: { id?: string; name?: string; args?: unknown } }
interface GeminiCandidate { content?: { parts?: GeminiPart[] }; finishReason?: string; index?: number }
interface GeminiUsage { promptTokenCount?: number; candidatesTokenCount?: number; thoughtsTokenCount?: number; cachedContentTokenCount?: number; totalTokenCount?: number }
interface GeminiResponse { candidates?: GeminiCandidate[]; usageMetadata?: GeminiUsage; modelVersion?: string; responseId?: string }

export function mapGeminiFinishReason(reason: string | undefined, hasToolCalls: boolean): FinishReason {
  switch (reason) {
    case 'MAX_TOKENS': return 'length';
    case 'SAFETY':
    case 'RECITATION':
    case 'BLOCKLIST':
    case 'PROHIBITED_CONTENT':
    case 'SPII':
    case 'IMAGE_SAFETY':
      return 'content_filter';
    case 'STOP':
    default:
      return hasToolCalls ? 'tool_calls' : 'stop';
  }
}

/** Thought tokens are billed as output: they join completion_tokens, as OpenAI's reasoning tokens do. */
export function mapGeminiUsage(usage: GeminiUsage): Usage {
  const prompt = usage.promptTokenCount ?? 0;
  const thoughts = usage.thoughtsTokenCount ?? 0;
  const completion = (usage.candidatesTokenCount ?? 0) + thoughts;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: usage.cachedContentTokenCount ?? 0 },
    completion_tokens_details: { reasoning_tokens: thoughts },
  };
}

export const parseGeminiErrorMessage: ErrorMessageParser = (body) => {
  const error = (body as { error?: { message?: unknown; status?: unknown } } | undefined)?.error;
  if (!error || typeof error !== 'object') return undefined;
  return { ...(typeof error.message === 'string' ? { message: error.message } : {}), ...(typeof error.status === 'string' ? { type: error.status } : {}) };
};

function splitParts(parts: GeminiPart[], toolOffset: number) {
  let text = '';
  let reasoning = '';
  const calls: ToolCall[] = [];
  for (const part of parts) {
    if (part.functionCall) {
      calls.push({ id: part.functionCall.id ?? `call_${toolOffset + calls.length}`, type: 'function', function: { name: part.functionCall.name ?? '', arguments: JSON.stringify(part.functionCall.args ?? {}) } });
    } else if (typeof part.text === 'string') {
      if (part.thought) reasoning += part.text;
      else text += part.text;
    }
  }
  return { text, reasoning, calls };
}

export function fromGeminiResponse(body: unknown, upstreamModel: string): ChatResponse {
  const response = body as GeminiResponse;
  if (!response || typeof response !== 'object') throw new ArbiterError('upstream_error', 'Gemini returned an unexpected response shape.', { retryable: true });
  const choices = (response.candidates ?? []).map((candidate, index) => {
    const { text, reasoning, calls } = splitParts(candidate.content?.parts ?? [], 0);
    return {
      index: candidate.index ?? index,
      message: { role: 'assistant' as const, content: text === '' && calls.length > 0 ? null : text, ...(reasoning ? { reasoning_content: reasoning } : {}), ...(calls.length ? { tool_calls: calls } : {}) },
      finish_reason: mapGeminiFinishReason(candidate.finishReason, calls.length > 0),
      logprobs: null,
    };
  });
  return {
    id: response.responseId ?? `gemini-${Date.now()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: response.modelVersion ?? upstreamModel,
    choices,
    ...(response.usageMetadata ? { usage: mapGeminiUsage(response.usageMetadata) } : {}),
  };
}

export async function* mapGeminiStream(events: AsyncIterable<{ data: string }>, upstreamModel: string): AsyncIterable<ChatChunk> {
  let first = true;
  let toolCount = 0;
  let usage: GeminiUsage | undefined;
  let finished = false;
  let id = '';
  let model = upstreamModel;
  const created = Math.floor(Date.now() / 1000);
  for await (const event of events) {
    let response: GeminiResponse & { error?: { message?: string } };
    try {
      response = JSON.parse(event.data) as GeminiResponse & { error?: { message?: string } };
    } catch {
      throw new ArbiterError('upstream_error', 'Gemini sent a malformed stream event.', { retryable: true });
    }
    if (response.error) throw new ArbiterError('upstream_error', response.error.message ?? 'Gemini stream error', { retryable: true });
    id ||= response.responseId ?? `gemini-${created}`;
    model = response.modelVersion ?? model;
    if (response.usageMetadata) usage = response.usageMetadata;
    const candidate = response.candidates?.[0];
    if (!candidate) continue;
    const { text, reasoning, calls } = splitParts(candidate.content?.parts ?? [], toolCount);
    const delta: ChatChunk['choices'][number]['delta'] = {};
    if (first) { delta.role = 'assistant'; first = false; }
    if (text) delta.content = text;
    if (reasoning) delta.reasoning_content = reasoning;
    if (calls.length) delta.tool_calls = calls.map((call, offset) => ({ index: toolCount + offset, id: call.id, type: 'function' as const, function: call.function }));
    toolCount += calls.length;
    const finish = candidate.finishReason ? mapGeminiFinishReason(candidate.finishReason, toolCount > 0) : null;
    if (Object.keys(delta).length > 0 || finish) yield { id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finish }] };
    if (finish) finished = true;
  }
  if (!finished) throw new ArbiterError('upstream_error', 'Gemini ended the stream without a finish reason.', { retryable: true });
  if (usage) yield { id, object: 'chat.completion.chunk', created, model, choices: [], usage: mapGeminiUsage(usage) };
}

/**
 * OpenAI Chat Completions, and every OpenAI-compatible vendor through named quirks. The
 * canonical shapes are OpenAI's, so requests and responses pass through; unknown fields are
 * kept. https://platform.openai.com/docs/api-reference/chat
 */
import type { ChatRequest } from '../../core/chat-request.js';
import type { ChatChunk, ChatResponse } from '../../core/chat-response.js';
import { ArbiterError } from '../../core/errors.js';
import type { EmbeddingRequest, EmbeddingResponse } from '../../core/embeddings.js';
import type { Deployment, ProviderAdapter, ProviderCallOptions, ProviderKind } from '../../core/provider.js';
import { postJson, readJson, transportError, type ErrorMessageParser } from '../http.js';
import { parseSse } from '../sse.js';
import type { PresetQuirks } from '../openai-compatible/presets.js';

export const parseOpenAIErrorMessage: ErrorMessageParser = (body) => {
  const error = (body as { error?: { message?: unknown; type?: unknown; param?: unknown } } | undefined)?.error;
  if (!error || typeof error !== 'object') return undefined;
  return {
    ...(typeof error.message === 'string' ? { message: error.message } : {}),
    ...(typeof error.type === 'string' ? { type: error.type } : {}),
    param: typeof error.param === 'string' ? error.param : null,
  };
};

export function toOpenAIRequest(request: ChatRequest, deployment: Deployment, quirks: PresetQuirks, stream: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = { ...request, model: deployment.upstreamModel };
  if (quirks.developerRole) {
    body.messages = request.messages.map((message) => (message.role === 'developer' ? { ...message, role: quirks.developerRole } : message));
  }
  if (quirks.maxTokensField && request.max_completion_tokens != null && request.max_tokens == null) {
    body.max_tokens = request.max_completion_tokens;
    delete body.max_completion_tokens;
  }
  if (stream) {
    body.stream = true;
    if (quirks.noStreamUsage) delete body.stream_options;
    else body.stream_options = { ...(request.stream_options ?? {}), include_usage: true };
  } else {
    delete body.stream;
    delete body.stream_options;
  }
  return body;
}

/** Vendors that stream reasoning under another name are mapped onto `reasoning_content`. */
function normalizeReasoning<T extends { choices: unknown[] }>(value: T, field: string | undefined, key: 'message' | 'delta'): T {
  if (!field || field === 'reasoning_content') return value;
  for (const choice of value.choices as Array<Record<string, Record<string, unknown> | undefined>>) {
    const part = choice[key];
    if (part && typeof part[field] === 'string') part.reasoning_content = part[field];
  }
  return value;
}

export function fromOpenAIResponse(body: unknown, deployment: Deployment, quirks: PresetQuirks): ChatResponse {
  const response = body as ChatResponse;
  if (!response || typeof response !== 'object' || !Array.isArray(response.choices)) {
    throw new ArbiterError('upstream_error', `Deployment ${deployment.name} returned an unexpected response shape.`, { retryable: true });
  }
  return normalizeReasoning(response, quirks.reasoningField, 'message');
}

export async function* mapOpenAIStream(events: AsyncIterable<{ data: string }>, deployment: Deployment, quirks: PresetQuirks): AsyncIterable<ChatChunk> {
  let done = false;
  for await (const event of events) {
    if (event.data === '[DONE]') { done = true; break; }
    let chunk: unknown;
    try {
      chunk = JSON.parse(event.data);
    } catch {
      throw new ArbiterError('upstream_error', `Deployment ${deployment.name} sent a malformed stream event.`, { retryable: true });
    }
    const error = parseOpenAIErrorMessage(chunk);
    if (error) throw new ArbiterError('upstream_error', error.message ?? 'upstream stream error', { retryable: true });
    const typed = chunk as ChatChunk;
    if (!Array.isArray(typed.choices)) continue;
    yield normalizeReasoning(typed, quirks.reasoningField, 'delta');
  }
  if (!done) throw new ArbiterError('upstream_error', `Deployment ${deployment.name} ended the stream without [DONE].`, { retryable: true });
}

function authHeaders(deployment: Deployment): Record<string, string> {
  return deployment.apiKey ? { authorization: `Bearer ${deployment.apiKey}` } : {};
}

export function createOpenAIAdapter(kind: ProviderKind, quirksFor: (deployment: Deployment) => PresetQuirks): ProviderAdapter {
  const base = (deployment: Deployment) => deployment.baseUrl.replace(/\/+$/, '');
  return {
    kind,
    async chat(deployment, request, call) {
      const quirks = quirksFor(deployment);
      const response = await postJson({ deployment, url: `${base(deployment)}/chat/completions`, body: toOpenAIRequest(request, deployment, quirks, false), headers: authHeaders(deployment), call, parseErrorMessage: parseOpenAIErrorMessage });
      return fromOpenAIResponse(await readJson(response, deployment, call.signal), deployment, quirks);
    },
    async chatStream(deployment, request, call) {
      const quirks = quirksFor(deployment);
      const response = await postJson({ deployment, url: `${base(deployment)}/chat/completions`, body: toOpenAIRequest(request, deployment, quirks, true), headers: authHeaders(deployment), call, parseErrorMessage: parseOpenAIErrorMessage });
      return guardTransport(mapOpenAIStream(parseSse(response.body), deployment, quirks), deployment, call);
    },
    async embed(deployment: Deployment, request: EmbeddingRequest, call: ProviderCallOptions): Promise<EmbeddingResponse> {
      const response = await postJson({ deployment, url: `${base(deployment)}/embeddings`, body: { ...request, model: deployment.upstreamModel }, headers: authHeaders(deployment), call, parseErrorMessage: parseOpenAIErrorMessage });
      return await readJson(response, deployment, call.signal) as EmbeddingResponse;
    },
  };
}

/** Socket errors and timeouts mid-stream become ArbiterErrors like those before the first byte. */
export async function* guardTransport<T>(stream: AsyncIterable<T>, deployment: Deployment, call: ProviderCallOptions): AsyncIterable<T> {
  try {
    yield* stream;
  } catch (error) {
    throw transportError(error, deployment, call.signal);
  }
}

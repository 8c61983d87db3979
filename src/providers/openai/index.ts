/**
 * OpenAI Chat Completions, and every OpenAI-compatible vendor through named quirks. The
 * canonical shapes are OpenAI's, so requests and responses pass through; unknown fields are
 * kept. https://platform.openai.com/docs/api-reference/chat
 */
import type { ChatRequest } from '../../core/chat-request.js';
import type { ChatChunk, ChatResponse } from '../../core/chat-response.js';
import { RawChunks, type StreamItem } from '../../core/stream-item.js';
import { ArbiterError } from '../../core/errors.js';
import { rememberWireText } from '../../core/wire-text.js';
import type { EmbeddingRequest, EmbeddingResponse } from '../../core/embeddings.js';
import type { Deployment, ProviderAdapter, ProviderCallOptions, ProviderKind } from '../../core/provider.js';
import { postJson, readJson, readJsonWithText, streamReadError } from '../http.js';
import { parseSseBatches } from '../sse.js';
import type { PresetQuirks } from '../openai-compatible/presets.js';
import { openAIStreamError, parseOpenAIError } from './errors.js';
import { isPlainChunk } from './plain-chunk.js';

type Message = ChatRequest['messages'][number];

/**
 * Fields our own answers add to assistant messages, which a client may send back: a vendor
 * that does not know them may answer 400 (OpenAI and Groq validate message properties), so
 * they go only where the preset says they are understood. DeepSeek even requires
 * reasoning_content back on tool-call turns (https://api-docs.deepseek.com/guides/thinking_mode#tool-calls).
 */
function historyMessage(message: Message, quirks: PresetQuirks): Message {
  if (message.role === 'developer' && quirks.developerRole) return { ...message, role: quirks.developerRole, content: message.content };
  if (message.role !== 'assistant') return message;
  let out = message;
  if (out.reasoning_content != null && !quirks.reasoningInHistory) {
    const { reasoning_content: _dropped, ...rest } = out;
    out = rest;
  }
  // Claude's signed thinking (our own answers carry it) means nothing here, except to a vendor that routes to Claude.
  if (out.reasoning_details != null && !quirks.reasoningDetailsInHistory) {
    const { reasoning_details: _dropped, ...rest } = out;
    out = rest;
  }
  if (out.tool_calls?.some((call) => call.extra_content) && !quirks.toolCallExtraContent) {
    out = { ...out, tool_calls: out.tool_calls.map(({ extra_content: _dropped, ...call }) => call) };
  }
  return out;
}

/** Request fields the adapter writes itself rather than copying. */
const SET_HERE = new Set(['model', 'messages', 'stream', 'stream_options', 'max_completion_tokens']);

export function toOpenAIRequest(request: ChatRequest, deployment: Deployment, quirks: PresetQuirks, stream: boolean): Record<string, unknown> {
  // The client's other fields are copied in one pass, skipping those set here; not `delete`d
  // from a copy: a deleted key turns the object into a slow dictionary, serialized every call.
  const body: Record<string, unknown> = { model: deployment.upstreamModel, messages: request.messages.map((message) => historyMessage(message, quirks)) };
  for (const key in request) {
    if (!SET_HERE.has(key)) body[key] = request[key as keyof ChatRequest];
  }
  const streamOptions = request.stream_options;
  const maxCompletionTokens = request.max_completion_tokens;
  if (maxCompletionTokens != null) {
    if (quirks.maxTokensField && request.max_tokens == null) body.max_tokens = maxCompletionTokens;
    else body.max_completion_tokens = maxCompletionTokens;
  }
  if (stream) {
    body.stream = true;
    if (!quirks.noStreamUsage) body.stream_options = { ...(streamOptions ?? {}), include_usage: true };
  }
  return body;
}

/**
 * Vendors that send reasoning under another name are mapped onto `reasoning_content` (kept
 * under their name too): the preset's field, else `reasoning`, which vLLM (since 0.11),
 * OpenRouter, Groq and Ollama use.
 * https://docs.vllm.ai/en/stable/features/reasoning_outputs/
 */
/** Copies a vendor's reasoning field onto `reasoning_content` in place; says whether it changed anything. */
function normalizeReasoning(value: { choices: unknown[] }, field: string | undefined, key: 'message' | 'delta'): boolean {
  let changed = false;
  for (const choice of value.choices as Array<Record<string, Record<string, unknown> | undefined>>) {
    const part = choice?.[key];
    if (!part || typeof part.reasoning_content === 'string') continue;
    const source = field && typeof part[field] === 'string' ? part[field] : part.reasoning;
    if (typeof source === 'string') {
      part.reasoning_content = source;
      changed = true;
    }
  }
  return changed;
}

/** `text`, the body `body` was parsed from, is kept for the gateway to forward while nothing changes the response. */
export function fromOpenAIResponse(body: unknown, deployment: Deployment, quirks: PresetQuirks, text?: string): ChatResponse {
  const response = body as ChatResponse;
  if (!response || typeof response !== 'object' || !Array.isArray(response.choices)) {
    throw new ArbiterError('upstream_error', `Deployment ${deployment.name} returned an unexpected response shape.`, { retryable: true });
  }
  if (!normalizeReasoning(response, quirks.reasoningField, 'message') && text !== undefined) rememberWireText(response, text);
  return response;
}

/**
 * Every choice an object with a numeric index and a delta object: what every later stage (the
 * controls, the assembler) reads without checking. A choice with no delta at all gets an empty
 * one, as some OpenAI-compatible servers send the finish that way.
 */
function checkChunkShape(chunk: ChatChunk): 'ok' | 'changed' | 'bad' {
  let result: 'ok' | 'changed' = 'ok';
  for (const choice of chunk.choices as unknown[]) {
    if (typeof choice !== 'object' || choice === null) return 'bad';
    const { index, delta } = choice as { index?: unknown; delta?: unknown };
    if (typeof index !== 'number') return 'bad';
    if (delta === undefined) {
      (choice as { delta: object }).delta = {};
      result = 'changed';
    } else if (typeof delta !== 'object' || delta === null || Array.isArray(delta)) return 'bad';
  }
  return result;
}

/** Maps one SSE event at a time, synchronously, so the stream needs no generator layer of its own. */
class OpenAIStreamMapper {
  private done = false;

  constructor(private readonly deployment: Deployment, private readonly quirks: PresetQuirks) {}

  /** A content delta forwarded unparsed (never once the stream is done). */
  isPlain(data: string): boolean {
    return !this.done && isPlainChunk(data, this.quirks.reasoningField);
  }

  /** The chunk an event that is not plain carries, if any; throws the upstream's error event as ours. */
  map(data: string): ChatChunk | undefined {
    // Anything after [DONE] is ignored; the deployment's timeouts bound a body that never ends.
    if (this.done) return undefined;
    if (data === '[DONE]') {
      this.done = true;
      return undefined;
    }
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      throw new ArbiterError('upstream_error', `Deployment ${this.deployment.name} sent a malformed stream event.`, { retryable: true });
    }
    const error = openAIStreamError(chunk, this.deployment.provider);
    if (error) throw error;
    const typed = chunk as ChatChunk;
    if (!Array.isArray(typed.choices)) return undefined;
    const shape = checkChunkShape(typed);
    if (shape === 'bad') throw new ArbiterError('upstream_error', `Deployment ${this.deployment.name} sent a stream event whose choices are not chunk choices.`, { retryable: true });
    // Forwarded text must fit one SSE data line. The parser splits lines at CR and LF and joins
    // a multi-line event's data with LF, so LF is the only break such text can hold.
    if (!normalizeReasoning(typed, this.quirks.reasoningField, 'delta') && shape === 'ok' && data.indexOf('\n') === -1) rememberWireText(typed, data);
    return typed;
  }

  end(): void {
    if (!this.done) throw new ArbiterError('upstream_cut', `Deployment ${this.deployment.name} ended the stream without [DONE].`, { retryable: true });
  }
}

// Both read on to the body's end rather than break: leaving the loop early destroys the body
// with an error whose stack trace costs more than the rest of the stream's mapping.

/** Events one at a time (tests, recorded fixtures) take the batched path one event per batch. */
export function mapOpenAIStream(events: AsyncIterable<{ data: string }>, deployment: Deployment, quirks: PresetQuirks): AsyncIterable<StreamItem> {
  return mapOpenAIEventBatches(eachAsBatch(events), deployment, quirks);
}

async function* eachAsBatch<T>(events: AsyncIterable<T>): AsyncIterable<T[]> {
  for await (const event of events) yield [event];
}

/**
 * The adapter's path: events arrive in batches, one per body chunk, and the plain deltas among
 * them leave together as one item per run.
 */
export async function* mapOpenAIEventBatches(batches: AsyncIterable<Array<{ data: string }>>, deployment: Deployment, quirks: PresetQuirks): AsyncIterable<StreamItem> {
  const mapper = new OpenAIStreamMapper(deployment, quirks);
  for await (const batch of batches) {
    let run: string[] | undefined;
    for (const event of batch) {
      const data = event.data;
      if (mapper.isPlain(data)) {
        (run ??= []).push(data);
        continue;
      }
      if (run) {
        yield new RawChunks(run, deployment.name);
        run = undefined;
      }
      const chunk = mapper.map(data);
      if (chunk) yield chunk;
    }
    if (run) yield new RawChunks(run, deployment.name);
  }
  mapper.end();
}

/**
 * What every call to a deployment repeats, built once per deployment: strings joined per
 * request were new strings to hash (the URL's split is looked up by it) and to flatten
 * (undici validates every header value).
 */
interface Endpoints { chat: string; embeddings: string; auth: Record<string, string> }
const endpointsOf = new WeakMap<Deployment, Endpoints>();

function endpoints(deployment: Deployment): Endpoints {
  let found = endpointsOf.get(deployment);
  if (!found) {
    const base = deployment.baseUrl.replace(/\/+$/, '');
    found = {
      chat: `${base}/chat/completions`,
      embeddings: `${base}/embeddings`,
      auth: deployment.apiKey ? { authorization: `Bearer ${deployment.apiKey}` } : {},
    };
    endpointsOf.set(deployment, found);
  }
  return found;
}

export function createOpenAIAdapter(kind: ProviderKind, quirksFor: (deployment: Deployment) => PresetQuirks): ProviderAdapter {
  return {
    kind,
    async chat(deployment, request, call) {
      const quirks = quirksFor(deployment);
      const endpoint = endpoints(deployment);
      const response = await postJson({ deployment, url: endpoint.chat, body: toOpenAIRequest(request, deployment, quirks, false), headers: endpoint.auth, call, parseErrorMessage: parseOpenAIError });
      const { value, text } = await readJsonWithText(response, deployment, call.signal);
      return fromOpenAIResponse(value, deployment, quirks, text);
    },
    async chatStream(deployment, request, call) {
      const quirks = quirksFor(deployment);
      const endpoint = endpoints(deployment);
      const response = await postJson({ deployment, url: endpoint.chat, body: toOpenAIRequest(request, deployment, quirks, true), headers: endpoint.auth, call, parseErrorMessage: parseOpenAIError });
      return mapOpenAIEventBatches(parseSseBatches(response.body, { mapReadError: (error) => streamReadError(error, deployment, call.signal) }), deployment, quirks);
    },
    async embed(deployment: Deployment, request: EmbeddingRequest, call: ProviderCallOptions): Promise<EmbeddingResponse> {
      const endpoint = endpoints(deployment);
      const response = await postJson({ deployment, url: endpoint.embeddings, body: { ...request, model: deployment.upstreamModel }, headers: endpoint.auth, call, parseErrorMessage: parseOpenAIError });
      return await readJson(response, deployment, call.signal) as EmbeddingResponse;
    },
  };
}

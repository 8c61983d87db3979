/**
 * The canonical response → a Responses API `response` object: reasoning, message and
 * function_call output items; usage in input/output tokens; status `incomplete` when the
 * answer was cut by max_output_tokens or a content filter. The request's settings are echoed
 * as OpenAI does.
 * https://platform.openai.com/docs/api-reference/responses/object
 */
import { randomBytes } from 'node:crypto';
import type { AssistantMessage, FinishReason, Usage } from '../../../core/chat-response.js';
import type { ResponsesRequest } from './wire.js';

type Item = Record<string, unknown>;

/**
 * Ids are a random per-process part and a counter: unique without asking the CSPRNG for bytes
 * on every output item (a stored response is found by id, but only for the key that made it).
 */
const processPart = randomBytes(8).toString('hex');
let counter = 0;

export function newItemId(prefix: string): string {
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  return `${prefix}_${processPart}${counter.toString(16).padStart(8, '0')}`;
}

/** What the response object repeats of its request, fixed when the request is decoded. */
export interface ResponseEcho {
  id: string;
  createdAt: number;
  model: string;
  wire: ResponsesRequest;
  store: boolean;
}

export function toResponsesUsage(usage: Usage | undefined | null): Record<string, unknown> | null {
  if (!usage || typeof usage !== 'object') return null;
  return {
    input_tokens: usage.prompt_tokens ?? 0,
    input_tokens_details: { cached_tokens: usage.prompt_tokens_details?.cached_tokens ?? 0 },
    output_tokens: usage.completion_tokens ?? 0,
    output_tokens_details: { reasoning_tokens: usage.completion_tokens_details?.reasoning_tokens ?? 0 },
    total_tokens: usage.total_tokens ?? (usage.prompt_tokens ?? 0) + (usage.completion_tokens ?? 0),
  };
}

export function statusOf(finish: FinishReason | null | undefined): { status: 'completed' | 'incomplete'; incomplete_details: { reason: string } | null } {
  if (finish === 'length') return { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } };
  if (finish === 'content_filter') return { status: 'incomplete', incomplete_details: { reason: 'content_filter' } };
  return { status: 'completed', incomplete_details: null };
}

export function reasoningItem(id: string, text: string): Item {
  return { type: 'reasoning', id, summary: [{ type: 'summary_text', text }] };
}

export function messageItem(id: string, text: string, refusal: string, status: string): Item {
  const content: Item[] = [];
  if (text !== '' || refusal === '') content.push({ type: 'output_text', text, annotations: [], logprobs: [] });
  if (refusal !== '') content.push({ type: 'refusal', refusal });
  return { type: 'message', id, status, role: 'assistant', content };
}

export function functionCallItem(id: string, callId: string, name: string, args: string, status: string): Item {
  return { type: 'function_call', id, call_id: callId, name, arguments: args, status };
}

export function outputItems(message: AssistantMessage | undefined): Item[] {
  if (!message) return [];
  const items: Item[] = [];
  if (message.reasoning_content) items.push(reasoningItem(newItemId('rs'), message.reasoning_content));
  const text = message.content ?? '';
  const refusal = message.refusal ?? '';
  if (text !== '' || refusal !== '' || !message.tool_calls?.length) items.push(messageItem(newItemId('msg'), text, refusal, 'completed'));
  for (const call of message.tool_calls ?? []) items.push(functionCallItem(newItemId('fc'), call.id, call.function.name, call.function.arguments, 'completed'));
  return items;
}

function echoedTools(wire: ResponsesRequest): Item[] {
  return (wire.tools ?? []).map((tool) => ({ type: 'function', name: tool.name, description: tool.description ?? null, parameters: tool.parameters ?? null, strict: tool.strict ?? true }));
}

export interface ResponseState {
  status: 'in_progress' | 'completed' | 'incomplete' | 'failed';
  output: Item[];
  usage?: Usage | null;
  model?: string;
  incomplete_details?: { reason: string } | null;
  error?: { code: string; message: string } | null;
}

/** The whole response object, in the field order OpenAI sends. */
export function responseObject(echo: ResponseEcho, state: ResponseState): Record<string, unknown> {
  const wire = echo.wire;
  return {
    id: echo.id,
    object: 'response',
    created_at: echo.createdAt,
    status: state.status,
    background: false,
    error: state.error ?? null,
    incomplete_details: state.incomplete_details ?? null,
    instructions: wire.instructions ?? null,
    max_output_tokens: wire.max_output_tokens ?? null,
    model: state.model || echo.model,
    output: state.output,
    parallel_tool_calls: wire.parallel_tool_calls ?? true,
    previous_response_id: wire.previous_response_id ?? null,
    reasoning: { effort: wire.reasoning?.effort ?? null, summary: null },
    store: echo.store,
    temperature: wire.temperature ?? 1,
    text: { format: wire.text?.format ?? { type: 'text' } },
    tool_choice: wire.tool_choice ?? 'auto',
    tools: echoedTools(wire),
    top_p: wire.top_p ?? 1,
    truncation: 'disabled',
    usage: toResponsesUsage(state.usage),
    user: wire.user ?? null,
    metadata: wire.metadata ?? {},
  };
}

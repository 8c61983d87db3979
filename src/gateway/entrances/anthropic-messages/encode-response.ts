/**
 * The canonical response → an Anthropic Message: thinking first, then text, then tool_use
 * blocks (Claude's own order); usage split back into uncached input, cache reads and writes.
 * https://docs.anthropic.com/en/api/messages
 */
import type { AssistantMessage, ChatChoice, ChatResponse, FinishReason, Usage } from '../../../core/chat-response.js';

export interface AnthropicUsageOut {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

type Block = Record<string, unknown>;

const anthropicStopReasons = new Set(['end_turn', 'max_tokens', 'stop_sequence', 'tool_use', 'pause_turn', 'refusal', 'model_context_window_exceeded']);

/** Anthropic's own reason when the upstream was Anthropic; else the unified one mapped back. */
export function toStopReason(finish: FinishReason | null | undefined, native: string | undefined): string {
  if (native && anthropicStopReasons.has(native)) return native;
  switch (finish) {
    case 'length': return 'max_tokens';
    case 'tool_calls':
    case 'function_call': return 'tool_use';
    case 'content_filter': return 'refusal';
    case 'stop':
    default: return 'end_turn';
  }
}

/** OpenAI's prompt_tokens include cache reads and writes; Anthropic's input_tokens do not. */
export function toAnthropicUsage(usage: Usage | undefined | null): AnthropicUsageOut {
  if (!usage || typeof usage !== 'object') return { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
  const read = usage.prompt_tokens_details?.cached_tokens ?? 0;
  const written = usage.prompt_tokens_details?.cache_creation_tokens ?? 0;
  return {
    input_tokens: Math.max(0, (usage.prompt_tokens ?? 0) - read - written),
    output_tokens: usage.completion_tokens ?? 0,
    cache_creation_input_tokens: written,
    cache_read_input_tokens: read,
  };
}

/** tool_use input must be an object; arguments that do not parse as one are kept under a key rather than dropped. */
export function toolInput(args: string): Record<string, unknown> {
  if (args.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(args);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  return { _arguments: args };
}

export function messageId(id: string): string {
  return id.startsWith('msg_') ? id : `msg_${id || Date.now().toString(36)}`;
}

function thinkingBlocks(message: AssistantMessage): Block[] {
  if (message.thinking_blocks && message.thinking_blocks.length > 0) return [...message.thinking_blocks];
  // Reasoning from a provider without signatures (DeepSeek, Gemini): shown as thinking, with
  // an empty signature, which Anthropic itself would refuse if it were sent back to it.
  return message.reasoning_content ? [{ type: 'thinking', thinking: message.reasoning_content, signature: '' }] : [];
}

export function contentBlocks(message: AssistantMessage): Block[] {
  const blocks = thinkingBlocks(message);
  const text = (message.content ?? '') + (message.refusal ?? '');
  if (text !== '') blocks.push({ type: 'text', text, citations: null });
  for (const call of message.tool_calls ?? []) blocks.push({ type: 'tool_use', id: call.id, name: call.function.name, input: toolInput(call.function.arguments) });
  return blocks;
}

export function toAnthropicMessage(response: ChatResponse): Record<string, unknown> {
  // The Messages API has one answer per call; n is never more than 1 on this entrance.
  const choice: ChatChoice | undefined = response.choices[0];
  return {
    id: messageId(response.id),
    type: 'message',
    role: 'assistant',
    model: response.model,
    content: choice ? contentBlocks(choice.message) : [],
    stop_reason: toStopReason(choice?.finish_reason, choice?.native_finish_reason),
    stop_sequence: null,
    usage: toAnthropicUsage(response.usage),
  };
}

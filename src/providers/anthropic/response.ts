/** Anthropic Messages responses and stream events → canonical ones. */
import type { ChatChunk, ChatResponse, FinishReason, ToolCall, Usage } from '../../core/chat-response.js';
import { ArbiterError } from '../../core/errors.js';
import type { ErrorMessageParser } from '../http.js';
import { JSON_TOOL } from './request.js';

export function mapAnthropicStopReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'max_tokens': return 'length';
    case 'tool_use': return 'tool_calls';
    case 'refusal': return 'content_filter';
    case 'end_turn':
    case 'stop_sequence':
    case 'pause_turn':
    default: return 'stop';
  }
}

interface AnthropicUsage { input_tokens?: number; output_tokens?: number; cache_read_input_tokens?: number | null; cache_creation_input_tokens?: number | null }

/** Prompt tokens include cache reads and writes, as OpenAI's prompt_tokens includes cached ones. */
export function mapAnthropicUsage(usage: AnthropicUsage, outputTokens = usage.output_tokens ?? 0): Usage {
  const cached = usage.cache_read_input_tokens ?? 0;
  const written = usage.cache_creation_input_tokens ?? 0;
  const prompt = (usage.input_tokens ?? 0) + cached + written;
  return {
    prompt_tokens: prompt,
    completion_tokens: outputTokens,
    total_tokens: prompt + outputTokens,
    prompt_tokens_details: { cached_tokens: cached, ...(written ? { cache_creation_tokens: written } : {}) },
  };
}

export const parseAnthropicErrorMessage: ErrorMessageParser = (body) => {
  const error = (body as { error?: { message?: unknown; type?: unknown } } | undefined)?.error;
  if (!error || typeof error !== 'object') return undefined;
  return { ...(typeof error.message === 'string' ? { message: error.message } : {}), ...(typeof error.type === 'string' ? { type: error.type } : {}) };
};

interface Block { type: string; text?: string; thinking?: string; id?: string; name?: string; input?: unknown }
interface AnthropicMessage { id: string; model: string; content: Block[]; stop_reason: string | null; usage: AnthropicUsage }

export function fromAnthropicResponse(body: unknown, jsonMode: boolean): ChatResponse {
  const message = body as AnthropicMessage;
  if (!message || !Array.isArray(message.content)) throw new ArbiterError('upstream_error', 'Anthropic returned an unexpected response shape.', { retryable: true });
  let text = '';
  let reasoning = '';
  const toolCalls: ToolCall[] = [];
  for (const block of message.content) {
    if (block.type === 'text') text += block.text ?? '';
    else if (block.type === 'thinking') reasoning += block.thinking ?? '';
    else if (block.type === 'tool_use') {
      if (jsonMode && block.name === JSON_TOOL) text += JSON.stringify(block.input ?? {});
      else toolCalls.push({ id: block.id ?? `toolu_${toolCalls.length}`, type: 'function', function: { name: block.name ?? '', arguments: JSON.stringify(block.input ?? {}) } });
    }
  }
  const finish = jsonMode && message.stop_reason === 'tool_use' && toolCalls.length === 0 ? 'stop' : mapAnthropicStopReason(message.stop_reason);
  return {
    id: message.id,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: message.model,
    choices: [{
      index: 0,
      message: { role: 'assistant', content: text === '' && toolCalls.length > 0 ? null : text, ...(reasoning ? { reasoning_content: reasoning } : {}), ...(toolCalls.length ? { tool_calls: toolCalls } : {}) },
      finish_reason: finish,
      logprobs: null,
    }],
    usage: mapAnthropicUsage(message.usage ?? {}),
  };
}

interface StreamEvent {
  type: string;
  message?: AnthropicMessage;
  index?: number;
  content_block?: Block;
  delta?: { type?: string; text?: string; partial_json?: string; thinking?: string; stop_reason?: string | null };
  usage?: AnthropicUsage;
  error?: { type?: string; message?: string };
}

/** Maps the event sequence; tool-call indexes count tool_use blocks only, as OpenAI's do. */
export async function* mapAnthropicStream(events: AsyncIterable<{ event?: string; data: string }>, jsonMode: boolean): AsyncIterable<ChatChunk> {
  let id = '';
  let model = '';
  const created = Math.floor(Date.now() / 1000);
  let inputUsage: AnthropicUsage = {};
  const toolIndexByBlock = new Map<number, number>();
  const jsonBlocks = new Set<number>();
  let stopped = false;
  const chunk = (delta: ChatChunk['choices'][number]['delta'], finish: FinishReason | null = null): ChatChunk => ({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finish }] });
  for await (const raw of events) {
    let event: StreamEvent;
    try {
      event = JSON.parse(raw.data) as StreamEvent;
    } catch {
      throw new ArbiterError('upstream_error', 'Anthropic sent a malformed stream event.', { retryable: true });
    }
    switch (event.type) {
      case 'message_start':
        id = event.message?.id ?? '';
        model = event.message?.model ?? '';
        inputUsage = event.message?.usage ?? {};
        yield chunk({ role: 'assistant', content: '' });
        break;
      case 'content_block_start': {
        const block = event.content_block;
        const index = event.index ?? 0;
        if (block?.type === 'tool_use') {
          if (jsonMode && block.name === JSON_TOOL) { jsonBlocks.add(index); break; }
          const toolIndex = toolIndexByBlock.size;
          toolIndexByBlock.set(index, toolIndex);
          yield chunk({ tool_calls: [{ index: toolIndex, id: block.id ?? '', type: 'function', function: { name: block.name ?? '', arguments: '' } }] });
        } else if (block?.type === 'text' && block.text) {
          yield chunk({ content: block.text });
        }
        break;
      }
      case 'content_block_delta': {
        const delta = event.delta;
        const index = event.index ?? 0;
        if (delta?.type === 'text_delta' && delta.text) yield chunk({ content: delta.text });
        else if (delta?.type === 'thinking_delta' && delta.thinking) yield chunk({ reasoning_content: delta.thinking });
        else if (delta?.type === 'input_json_delta' && delta.partial_json) {
          if (jsonBlocks.has(index)) yield chunk({ content: delta.partial_json });
          else {
            const toolIndex = toolIndexByBlock.get(index);
            if (toolIndex !== undefined) yield chunk({ tool_calls: [{ index: toolIndex, function: { arguments: delta.partial_json } }] });
          }
        }
        break;
      }
      case 'message_delta': {
        const reason = event.delta?.stop_reason;
        const finish = jsonMode && reason === 'tool_use' && toolIndexByBlock.size === 0 ? 'stop' : mapAnthropicStopReason(reason);
        yield chunk({}, finish);
        yield { id, object: 'chat.completion.chunk', created, model, choices: [], usage: mapAnthropicUsage({ ...inputUsage, ...(event.usage ?? {}) }, event.usage?.output_tokens ?? 0) };
        break;
      }
      case 'message_stop':
        stopped = true;
        break;
      case 'error': {
        const overloaded = event.error?.type === 'overloaded_error';
        throw new ArbiterError(overloaded ? 'upstream_unavailable' : 'upstream_error', event.error?.message ?? 'Anthropic stream error', { retryable: true });
      }
      default:
        break; // ping, content_block_stop and future events carry nothing we map
    }
    if (stopped) return;
  }
  throw new ArbiterError('upstream_error', 'Anthropic ended the stream without message_stop.', { retryable: true });
}

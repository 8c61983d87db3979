/**
 * Anthropic stream events → canonical chunks. The sequence is message_start, then per block
 * content_block_start / content_block_delta... / content_block_stop, then message_delta
 * (stop reason, cumulative usage) and message_stop; ping may come anywhere and an `error`
 * event may replace the rest after the 200.
 * https://docs.anthropic.com/en/docs/build-with-claude/streaming
 */
import { ANTHROPIC_REASONING_FORMAT, type ChatChunk, type ChunkDelta, type FinishReason } from '../../core/chat-response.js';
import { ArbiterError } from '../../core/errors.js';
import { anthropicStreamError } from './errors.js';
import { JSON_TOOL } from './request.js';
import { finishFor, reasoningDetailOf, type AnthropicBlock, type AnthropicMessage } from './response.js';
import { mapAnthropicUsage, mergeAnthropicUsage, type AnthropicUsage } from './usage.js';

interface StreamEvent {
  type: string;
  message?: AnthropicMessage;
  index?: number;
  content_block?: AnthropicBlock;
  delta?: { type?: string; text?: string; partial_json?: string; thinking?: string; signature?: string; stop_reason?: string | null };
  usage?: AnthropicUsage;
  error?: { type?: string; message?: string };
}

/** Tool-call indexes count tool_use blocks only, as OpenAI's do; the JSON-mode answer tool becomes content. */
export async function* mapAnthropicStream(events: AsyncIterable<{ event?: string; data: string }>, jsonMode: boolean): AsyncIterable<ChatChunk> {
  let id = '';
  let model = '';
  const created = Math.floor(Date.now() / 1000);
  let startUsage: AnthropicUsage = {};
  const toolIndexByBlock = new Map<number, number>();
  const jsonBlocks = new Set<number>();
  /** Content block index → its index among reasoning blocks (thinking, redacted_thinking). */
  const reasoningIndexByBlock = new Map<number, number>();
  const chunk = (delta: ChunkDelta, finish: FinishReason | null = null, native?: string): ChatChunk => ({
    id, object: 'chat.completion.chunk', created, model,
    choices: [{ index: 0, delta, finish_reason: finish, ...(native ? { native_finish_reason: native } : {}) }],
  });
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
        startUsage = event.message?.usage ?? {};
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
        } else if (block && (block.type === 'thinking' || block.type === 'redacted_thinking')) {
          const reasoningIndex = reasoningIndexByBlock.size;
          reasoningIndexByBlock.set(index, reasoningIndex);
          // The block opens (empty, or whole for redacted data); its text and signature follow as deltas.
          const detail = reasoningDetailOf(block.type === 'thinking' ? { type: 'thinking', thinking: block.thinking ?? '' } : block, reasoningIndex);
          if (detail) yield chunk(block.thinking ? { reasoning_content: block.thinking, reasoning_details: [detail] } : { reasoning_details: [detail] });
        }
        break;
      }
      case 'content_block_delta': {
        const delta = event.delta;
        const index = event.index ?? 0;
        if (delta?.type === 'text_delta' && delta.text) yield chunk({ content: delta.text });
        else if (delta?.type === 'thinking_delta' && delta.thinking) {
          const reasoningIndex = reasoningIndexByBlock.get(index) ?? 0;
          yield chunk({ reasoning_content: delta.thinking, reasoning_details: [{ type: 'reasoning.text', text: delta.thinking, format: ANTHROPIC_REASONING_FORMAT, index: reasoningIndex }] });
        } else if (delta?.type === 'signature_delta' && delta.signature) {
          const reasoningIndex = reasoningIndexByBlock.get(index) ?? 0;
          yield chunk({ reasoning_details: [{ type: 'reasoning.text', signature: delta.signature, format: ANTHROPIC_REASONING_FORMAT, index: reasoningIndex }] });
        }
        else if (delta?.type === 'input_json_delta' && delta.partial_json) {
          if (jsonBlocks.has(index)) yield chunk({ content: delta.partial_json });
          else {
            const toolIndex = toolIndexByBlock.get(index);
            if (toolIndex !== undefined) yield chunk({ tool_calls: [{ index: toolIndex, function: { arguments: delta.partial_json } }] });
          }
        }
        break; // citations_delta has no Chat Completions counterpart
      }
      case 'message_delta': {
        const reason = event.delta?.stop_reason;
        yield chunk({}, finishFor(reason, jsonMode, toolIndexByBlock.size), reason ?? undefined);
        yield { id, object: 'chat.completion.chunk', created, model, choices: [], usage: mapAnthropicUsage(mergeAnthropicUsage(startUsage, event.usage)) };
        break;
      }
      case 'message_stop':
        return;
      case 'error':
        throw anthropicStreamError(event.error);
      default:
        break; // ping, content_block_stop and future event types carry nothing we map
    }
  }
  throw new ArbiterError('upstream_cut', 'Anthropic ended the stream without message_stop.', { retryable: true });
}

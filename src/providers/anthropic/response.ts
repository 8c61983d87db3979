/** An Anthropic Messages response → a canonical chat.completion. https://docs.anthropic.com/en/api/messages */
import { ANTHROPIC_REASONING_FORMAT, type ChatResponse, type ReasoningDetail, type ToolCall } from '../../core/chat-response.js';
import { ArbiterError } from '../../core/errors.js';
import { mapAnthropicStopReason } from './finish-reason.js';
import { JSON_TOOL } from './request.js';
import { mapAnthropicUsage, type AnthropicUsage } from './usage.js';

export interface AnthropicBlock { type: string; text?: string; thinking?: string; signature?: string; data?: string; id?: string; name?: string; input?: unknown }
export interface AnthropicMessage { id: string; model: string; content: AnthropicBlock[]; stop_reason: string | null; usage?: AnthropicUsage }

/**
 * A thinking or redacted_thinking block as a reasoning detail to hand back; `index` counts
 * reasoning blocks only. undefined for other blocks.
 */
export function reasoningDetailOf(block: AnthropicBlock, index: number): ReasoningDetail | undefined {
  if (block.type === 'thinking') {
    return { type: 'reasoning.text', text: block.thinking ?? '', ...(block.signature ? { signature: block.signature } : {}), format: ANTHROPIC_REASONING_FORMAT, index };
  }
  if (block.type === 'redacted_thinking' && typeof block.data === 'string') return { type: 'reasoning.encrypted', data: block.data, format: ANTHROPIC_REASONING_FORMAT, index };
  return undefined;
}

/** In JSON mode the forced answer tool's `tool_use` stop is an ordinary end of the answer. */
export function finishFor(reason: string | null | undefined, jsonMode: boolean, realToolCalls: number) {
  if (jsonMode && reason === 'tool_use' && realToolCalls === 0) return 'stop' as const;
  return mapAnthropicStopReason(reason);
}

export function fromAnthropicResponse(body: unknown, jsonMode: boolean): ChatResponse {
  const message = body as AnthropicMessage;
  if (!message || !Array.isArray(message.content)) throw new ArbiterError('upstream_error', 'Anthropic returned an unexpected response shape.', { retryable: true });
  let text = '';
  let reasoning = '';
  const toolCalls: ToolCall[] = [];
  const details: ReasoningDetail[] = [];
  for (const block of message.content) {
    const detail = reasoningDetailOf(block, details.length);
    if (detail) details.push(detail);
    if (block.type === 'text') text += block.text ?? '';
    else if (block.type === 'thinking') reasoning += block.thinking ?? '';
    else if (block.type === 'tool_use') {
      if (jsonMode && block.name === JSON_TOOL) text += JSON.stringify(block.input ?? {});
      else toolCalls.push({ id: block.id ?? `toolu_${toolCalls.length}`, type: 'function', function: { name: block.name ?? '', arguments: JSON.stringify(block.input ?? {}) } });
    }
  }
  return {
    id: message.id,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: message.model,
    choices: [{
      index: 0,
      message: { role: 'assistant', content: text === '' && toolCalls.length > 0 ? null : text, ...(reasoning ? { reasoning_content: reasoning } : {}), ...(details.length ? { reasoning_details: details } : {}), ...(toolCalls.length ? { tool_calls: toolCalls } : {}) },
      finish_reason: finishFor(message.stop_reason, jsonMode, toolCalls.length),
      ...(message.stop_reason ? { native_finish_reason: message.stop_reason } : {}),
      logprobs: null,
    }],
    usage: mapAnthropicUsage(message.usage ?? {}),
  };
}

/**
 * A Messages API body → the canonical (Chat Completions) request. Tool results leave the user
 * turn as tool messages right after the assistant turn that called them (OpenAI's order),
 * thinking blocks ride on the assistant message with their signatures, and cache breakpoints
 * stay on their parts and tools for Anthropic upstreams.
 * https://docs.anthropic.com/en/api/messages
 */
import type { z } from 'zod';
import { findTooDeep, formatParamPath, MAX_BODY_DEPTH, parseChatRequest, zodToArbiterError } from '../../../core/chat-request.js';
import type { ChatMessage, ChatRequest, RequestToolCall, ThinkingBlock, UserContentPart } from '../../../core/chat-request.js';
import { ArbiterError } from '../../../core/errors.js';
import type { ReasoningEffort } from '../../../core/reasoning-budget.js';
import {
  countTokensRequestSchema, messagesRequestSchema,
  type ContentBlockParam, type CountTokensRequest, type MessageParam, type MessagesRequest,
} from './wire.js';

type TextPart = { type: 'text'; text: string; cache_control?: { type: 'ephemeral'; ttl?: '5m' | '1h' } };

function cacheOf(block: { cache_control?: unknown }): Pick<TextPart, 'cache_control'> {
  return block.cache_control ? { cache_control: block.cache_control as TextPart['cache_control'] } : {};
}

function imagePart(block: Extract<ContentBlockParam, { type: 'image' }>): UserContentPart {
  const url = block.source.type === 'base64' ? `data:${block.source.media_type};base64,${block.source.data}` : block.source.url;
  return { type: 'image_url', image_url: { url }, ...cacheOf(block) };
}

function textOfToolResult(content: Extract<ContentBlockParam, { type: 'tool_result' }>['content'], param: string): string | TextPart[] {
  if (content === undefined) return '';
  if (typeof content === 'string') return content;
  const parts: TextPart[] = [];
  content.forEach((block, index) => {
    // A tool message holds text only in the canonical request; an image there would be lost unseen.
    if (block.type !== 'text') throw new ArbiterError('invalid_request', `Invalid value for '${param}.content[${index}]': images inside tool_result are not supported by this gateway; send the image in a user text turn instead.`, { param: `${param}.content[${index}]` });
    parts.push({ type: 'text', text: block.text, ...cacheOf(block) });
  });
  return parts;
}

function userTurn(message: MessageParam, at: string, out: ChatMessage[]): void {
  if (typeof message.content === 'string') {
    out.push({ role: 'user', content: message.content });
    return;
  }
  const parts: UserContentPart[] = [];
  message.content.forEach((block, index) => {
    const param = `${at}.content[${index}]`;
    switch (block.type) {
      case 'tool_result': {
        const content = textOfToolResult(block.content, param);
        // is_error has no canonical field: the model is told in the text itself.
        const flagged = block.is_error ? (typeof content === 'string' ? `Error: ${content}` : [{ type: 'text' as const, text: 'Error:' }, ...content]) : content;
        out.push({ role: 'tool', tool_call_id: block.tool_use_id, content: flagged });
        break;
      }
      case 'text': parts.push({ type: 'text', text: block.text, ...cacheOf(block) }); break;
      case 'image': parts.push(imagePart(block)); break;
      case 'document':
        if (block.source.type === 'text') parts.push({ type: 'text', text: block.source.data, ...cacheOf(block) });
        else parts.push({ type: 'file', file: { file_data: `data:application/pdf;base64,${block.source.data}`, ...(block.title ? { filename: block.title } : {}) }, ...cacheOf(block) });
        break;
      default:
        throw new ArbiterError('invalid_request', `Invalid value for '${param}.type': a user turn cannot hold a '${block.type}' block.`, { param: `${param}.type` });
    }
  });
  if (parts.length > 0) out.push({ role: 'user', content: parts });
}

function assistantTurn(message: MessageParam, at: string, out: ChatMessage[]): void {
  if (typeof message.content === 'string') {
    out.push({ role: 'assistant', content: message.content });
    return;
  }
  const text: TextPart[] = [];
  const calls: RequestToolCall[] = [];
  const thinking: ThinkingBlock[] = [];
  let reasoning = '';
  message.content.forEach((block, index) => {
    switch (block.type) {
      case 'text': text.push({ type: 'text', text: block.text, ...cacheOf(block) }); break;
      case 'tool_use': calls.push({ id: block.id, type: 'function', function: { name: block.name, arguments: JSON.stringify(block.input) } }); break;
      case 'thinking':
        reasoning += block.thinking;
        thinking.push({ type: 'thinking', thinking: block.thinking, signature: block.signature });
        break;
      case 'redacted_thinking': thinking.push({ type: 'redacted_thinking', data: block.data }); break;
      default:
        throw new ArbiterError('invalid_request', `Invalid value for '${at}.content[${index}].type': an assistant turn cannot hold a '${block.type}' block.`, { param: `${at}.content[${index}].type` });
    }
  });
  const plain = text.every((part) => !part.cache_control);
  out.push({
    role: 'assistant',
    content: text.length === 0 ? (calls.length > 0 ? null : '') : plain ? text.map((part) => part.text).join('') : text,
    ...(calls.length > 0 ? { tool_calls: calls } : {}),
    ...(reasoning ? { reasoning_content: reasoning } : {}),
    ...(thinking.length > 0 ? { thinking_blocks: thinking } : {}),
  });
}

function systemMessage(system: MessagesRequest['system']): ChatMessage | undefined {
  if (system === undefined || system === '' || (Array.isArray(system) && system.length === 0)) return undefined;
  if (typeof system === 'string') return { role: 'system', content: system };
  return { role: 'system', content: system.map((block) => ({ type: 'text' as const, text: block.text, ...cacheOf(block) })) };
}

function toMessages(request: CountTokensRequest): ChatMessage[] {
  const out: ChatMessage[] = [];
  const system = systemMessage(request.system);
  if (system) out.push(system);
  request.messages.forEach((message, index) => {
    const at = `messages[${index}]`;
    if (message.role === 'user') userTurn(message, at, out);
    else if (message.role === 'assistant') assistantTurn(message, at, out);
    else out.push({ role: 'system', content: typeof message.content === 'string' ? message.content : message.content.map((block) => block.type === 'text' ? block.text : '').join('') });
  });
  return out;
}

/** Claude's thinking budget as the nearest OpenAI effort (the adapters turn it back into a budget). */
function effortFor(thinking: MessagesRequest['thinking']): ReasoningEffort | undefined {
  if (!thinking || thinking.type === 'disabled') return undefined;
  if (thinking.type === 'adaptive') return 'medium';
  const budget = thinking.budget_tokens as number;
  return budget <= 2_048 ? 'low' : budget <= 8_192 ? 'medium' : 'high';
}

function toolFields(request: CountTokensRequest): Partial<ChatRequest> {
  const fields: Partial<ChatRequest> = {};
  if (request.tools && request.tools.length > 0) {
    fields.tools = request.tools.map((tool) => ({
      type: 'function' as const,
      function: { name: tool.name, ...(tool.description ? { description: tool.description } : {}), parameters: tool.input_schema },
      ...cacheOf(tool),
    }));
  }
  const choice = request.tool_choice;
  if (choice) {
    if (choice.type === 'none') fields.tool_choice = 'none';
    else if (choice.type === 'auto') fields.tool_choice = 'auto';
    else if (choice.type === 'any') fields.tool_choice = 'required';
    else fields.tool_choice = { type: 'function', function: { name: choice.name as string } };
    if (choice.type !== 'none' && choice.disable_parallel_tool_use === true) fields.parallel_tool_calls = false;
  }
  return fields;
}

function checkBody(body: unknown): void {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ArbiterError('invalid_request', 'The request body must be a JSON object.');
  }
  const deep = findTooDeep(body);
  if (deep) {
    const param = formatParamPath(deep);
    throw new ArbiterError('invalid_request', `Invalid value for '${param}': nested more than ${MAX_BODY_DEPTH} levels deep.`, { param });
  }
  // Server tools run inside Anthropic's API; a gateway in front of any model cannot run them.
  const tools = (body as { tools?: unknown }).tools;
  if (Array.isArray(tools)) {
    tools.forEach((tool, index) => {
      const type = (tool as { type?: unknown } | null)?.type;
      if (typeof type === 'string' && type !== 'custom') {
        throw new ArbiterError('invalid_request', `Invalid value for 'tools[${index}].type': server tool '${type}' is not supported by this gateway; only client tools (with input_schema) are.`, { param: `tools[${index}].type` });
      }
    });
  }
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  checkBody(body);
  const result = schema.safeParse(body);
  if (!result.success) throw zodToArbiterError(result.error);
  return result.data;
}

export function decodeMessagesRequest(body: unknown): ChatRequest {
  const wire = parse(messagesRequestSchema, body);
  const effort = effortFor(wire.thinking);
  // Claude's max_tokens includes the thinking budget; the canonical cap is the answer's, and
  // the Anthropic adapter adds the effort's budget back on top.
  const budget = wire.thinking?.type === 'enabled' ? (wire.thinking.budget_tokens as number) : 0;
  const maxTokens = budget > 0 && wire.max_tokens > budget ? wire.max_tokens - budget : wire.max_tokens;
  const canonical: ChatRequest = {
    model: wire.model,
    messages: toMessages(wire),
    max_tokens: maxTokens,
    ...toolFields(wire),
    ...(wire.stream ? { stream: true, stream_options: { include_usage: true } } : {}),
    ...(wire.temperature !== undefined ? { temperature: wire.temperature } : {}),
    ...(wire.top_p !== undefined ? { top_p: wire.top_p } : {}),
    ...(wire.stop_sequences && wire.stop_sequences.length > 0 ? { stop: wire.stop_sequences } : {}),
    ...(wire.metadata?.user_id ? { user: wire.metadata.user_id } : {}),
    ...(effort ? { reasoning_effort: effort } : {}),
  };
  return parseChatRequest(canonical);
}

/** The conversation of a count_tokens body, as a canonical request that is never sent. */
export function decodeCountTokensRequest(body: unknown): ChatRequest {
  const wire = parse(countTokensRequestSchema, body);
  return parseChatRequest({ model: wire.model, messages: toMessages(wire), ...toolFields(wire) });
}

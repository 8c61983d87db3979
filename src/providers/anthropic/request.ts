/**
 * Canonical request → Anthropic Messages API body.
 * https://docs.anthropic.com/en/api/messages
 */
import { REASONING_BUDGET_TOKENS } from '../../core/reasoning-budget.js';
import type { ChatMessage, ChatRequest, RequestReasoningDetail, UserContentPart } from '../../core/chat-request.js';
import { ANTHROPIC_REASONING_FORMAT } from '../../core/chat-response.js';
import { contentText, requestedMaxTokens } from '../../core/chat-request.js';
import { ArbiterError } from '../../core/errors.js';

type Block = Record<string, unknown>;
interface Turn { role: 'user' | 'assistant'; content: Block[] }

/** json_schema / json_object are served by forcing one tool whose input is the answer. */
export const JSON_TOOL = 'json_response';

function imageBlock(url: string): Block {
  const match = /^data:([^;]+);base64,(.*)$/s.exec(url);
  if (match) return { type: 'image', source: { type: 'base64', media_type: match[1], data: match[2] } };
  return { type: 'image', source: { type: 'url', url } };
}

/** A PDF sent as an OpenAI file part (a data URL) is an Anthropic document block. */
function documentBlock(fileData: string | undefined): Block | undefined {
  const match = /^data:(application\/pdf);base64,(.*)$/s.exec(fileData ?? '');
  return match ? { type: 'document', source: { type: 'base64', media_type: match[1], data: match[2] } } : undefined;
}

// Anthropic refuses empty text blocks ("text content blocks must be non-empty"), which OpenAI
// accepts, so they are left out rather than sent.
function textBlock(text: string): Block[] {
  return text === '' ? [] : [{ type: 'text', text }];
}

function userBlocks(content: string | UserContentPart[]): Block[] {
  if (typeof content === 'string') return textBlock(content);
  const blocks: Block[] = [];
  for (const part of content) {
    if (part.type === 'text') blocks.push(...textBlock(part.text));
    else if (part.type === 'image_url') blocks.push(imageBlock(part.image_url.url));
    else if (part.type === 'file') {
      const document = documentBlock(part.file.file_data);
      if (document) blocks.push(document);
    }
  }
  return blocks;
}

function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text || '{}');
  } catch {
    return {};
  }
}

/**
 * Claude's thinking blocks as they came, signature and all, ahead of the turn's text and tool
 * calls (the Messages API wants them first, and refuses a tool-use turn with thinking on
 * without them). Only blocks Anthropic issued go back: another provider's details have
 * another format, and a thinking block without its signature would be refused.
 * https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking#preserving-thinking-blocks
 */
function thinkingBlocks(details: RequestReasoningDetail[] | null | undefined): Block[] {
  const blocks: Block[] = [];
  for (const detail of details ?? []) {
    if (detail.format != null && detail.format !== ANTHROPIC_REASONING_FORMAT) continue;
    if (detail.type === 'reasoning.text' && detail.signature) blocks.push({ type: 'thinking', thinking: detail.text ?? '', signature: detail.signature });
    else if (detail.type === 'reasoning.encrypted' && detail.data) blocks.push({ type: 'redacted_thinking', data: detail.data });
  }
  return blocks;
}

function messageBlocks(message: ChatMessage, thinking: boolean): { role: Turn['role']; blocks: Block[] } | undefined {
  switch (message.role) {
    case 'system':
    case 'developer':
      return undefined;
    case 'user':
      return { role: 'user', blocks: userBlocks(message.content) };
    case 'assistant': {
      const blocks: Block[] = [];
      const text = contentText(message.content);
      if (text) blocks.push({ type: 'text', text });
      for (const call of message.tool_calls ?? []) blocks.push({ type: 'tool_use', id: call.id, name: call.function.name, input: parseArguments(call.function.arguments) });
      // Thinking blocks lead the turn, and only with thinking on (Anthropic refuses them in a
      // final assistant message otherwise); a turn cannot end in one, so one with nothing else keeps none.
      if (thinking && blocks.length > 0) blocks.unshift(...thinkingBlocks(message.reasoning_details));
      return { role: 'assistant', blocks };
    }
    case 'tool':
      return { role: 'user', blocks: [{ type: 'tool_result', tool_use_id: message.tool_call_id, content: contentText(message.content) }] };
    default: {
      const never: never = message;
      return never;
    }
  }
}

/** Anthropic wants strictly alternating turns: consecutive same-role messages merge. */
function toTurns(messages: ChatMessage[], thinking: boolean): Turn[] {
  const turns: Turn[] = [];
  for (const message of messages) {
    const mapped = messageBlocks(message, thinking);
    if (!mapped || mapped.blocks.length === 0) continue;
    const last = turns[turns.length - 1];
    if (last && last.role === mapped.role) last.content.push(...mapped.blocks);
    else turns.push({ role: mapped.role, content: mapped.blocks });
  }
  return turns;
}

function toolChoice(request: ChatRequest): Block | undefined {
  const disableParallel = request.parallel_tool_calls === false ? { disable_parallel_tool_use: true } : {};
  const choice = request.tool_choice;
  if (choice === undefined) return request.parallel_tool_calls === false ? { type: 'auto', ...disableParallel } : undefined;
  if (choice === 'none') return { type: 'none' };
  if (choice === 'auto') return { type: 'auto', ...disableParallel };
  if (choice === 'required') return { type: 'any', ...disableParallel };
  return { type: 'tool', name: choice.function.name, ...disableParallel };
}

export function toAnthropicRequest(request: ChatRequest, upstreamModel: string, stream: boolean): Record<string, unknown> {
  // The Messages API returns one message per call; answering n > 1 with one choice would
  // silently give less than was asked.
  if (request.n != null && request.n > 1) {
    throw new ArbiterError('invalid_request', "Anthropic models return one choice per request; 'n' must be 1 for this deployment.", { param: 'n', retryable: false });
  }
  const system = request.messages.filter((m) => m.role === 'system' || m.role === 'developer').map((m) => contentText(m.content)).join('\n\n');
  const body: Record<string, unknown> = {
    model: upstreamModel,
    max_tokens: requestedMaxTokens(request) ?? 4096,
    messages: toTurns(request.messages, thinkingEnabled(request)),
  };
  if ((body.messages as Turn[]).length === 0) {
    throw new ArbiterError('invalid_request', "Invalid value for 'messages': Anthropic needs at least one non-empty user or assistant message besides the system prompt.", { param: 'messages', retryable: false });
  }
  if (system) body.system = system;
  if (request.temperature != null) body.temperature = Math.min(1, request.temperature);
  if (request.top_p != null) body.top_p = request.top_p;
  if (request.stop != null) body.stop_sequences = typeof request.stop === 'string' ? [request.stop] : request.stop;
  if (request.user) body.metadata = { user_id: request.user };
  if (stream) body.stream = true;
  const tools = (request.tools ?? []).map((tool) => ({ name: tool.function.name, ...(tool.function.description ? { description: tool.function.description } : {}), input_schema: tool.function.parameters ?? { type: 'object', properties: {} } }));
  const format = request.response_format;
  if (format && format.type !== 'text') {
    const schema = format.type === 'json_schema' ? (format.json_schema.schema ?? { type: 'object' }) : { type: 'object' };
    tools.push({ name: JSON_TOOL, description: 'Respond with the answer as this tool\'s input.', input_schema: schema });
    body.tools = tools;
    body.tool_choice = { type: 'tool', name: JSON_TOOL };
    return body;
  }
  if (tools.length > 0) body.tools = tools;
  const choice = toolChoice(request);
  if (choice && tools.length > 0) body.tool_choice = choice;
  applyThinking(body, request);
  return body;
}

/**
 * OpenAI's reasoning_effort as Claude's extended thinking. The budget must be at least 1,024
 * and below max_tokens, which on Anthropic counts thinking too, so the caller's cap is kept for
 * the answer and the budget added on top. Thinking refuses temperature/top_p and a forced tool
 * (Anthropic answers 400), so those go, and a forced tool wins over thinking.
 * https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking
 */
function thinkingEnabled(request: ChatRequest): boolean {
  const effort = request.reasoning_effort;
  if (effort == null || effort === 'minimal') return false;
  // JSON mode forces its answer tool; 'required' and a named function force one too.
  if (request.response_format && request.response_format.type !== 'text') return false;
  const choice = request.tool_choice;
  return !((choice === 'required' || typeof choice === 'object') && (request.tools?.length ?? 0) > 0);
}

function applyThinking(body: Record<string, unknown>, request: ChatRequest): void {
  const effort = request.reasoning_effort;
  if (effort == null || effort === 'minimal' || !thinkingEnabled(request)) return;
  const budget = REASONING_BUDGET_TOKENS[effort];
  body.thinking = { type: 'enabled', budget_tokens: budget };
  body.max_tokens = (body.max_tokens as number) + budget;
  delete body.temperature;
  delete body.top_p;
}

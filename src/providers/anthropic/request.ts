/**
 * Canonical request → Anthropic Messages API body.
 * https://docs.anthropic.com/en/api/messages
 */
import { REASONING_BUDGET_TOKENS } from '../../core/reasoning-budget.js';
import type { CacheControl, ChatMessage, ChatRequest, UserContentPart } from '../../core/chat-request.js';
import { contentText, requestedMaxTokens } from '../../core/chat-request.js';
import { ArbiterError } from '../../core/errors.js';

type Block = Record<string, unknown>;
interface Turn { role: 'user' | 'assistant'; content: Block[] }

/** json_schema / json_object are served by forcing one tool whose input is the answer. */
export const JSON_TOOL = 'json_response';

/** A prompt-cache breakpoint the client set (through the Messages entrance) goes on the same block. */
function withCacheControl(block: Block, cacheControl: CacheControl | undefined): Block {
  return cacheControl ? { ...block, cache_control: cacheControl } : block;
}

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
function textBlock(text: string, cacheControl?: CacheControl): Block[] {
  return text === '' ? [] : [withCacheControl({ type: 'text', text }, cacheControl)];
}

function userBlocks(content: string | UserContentPart[]): Block[] {
  if (typeof content === 'string') return textBlock(content);
  const blocks: Block[] = [];
  for (const part of content) {
    if (part.type === 'text') blocks.push(...textBlock(part.text, part.cache_control));
    else if (part.type === 'image_url') blocks.push(withCacheControl(imageBlock(part.image_url.url), part.cache_control));
    else if (part.type === 'file') {
      const document = documentBlock(part.file.file_data);
      if (document) blocks.push(withCacheControl(document, part.cache_control));
    }
  }
  return blocks;
}

/** The cache breakpoint on the last part of text content, if any (a tool result carries it on its block). */
function lastCacheControl(content: ChatMessage['content']): CacheControl | undefined {
  const last = Array.isArray(content) ? content[content.length - 1] : undefined;
  return last && 'cache_control' in last ? last.cache_control : undefined;
}

/** System text as blocks when a part carries a cache breakpoint, else one string as before. */
function systemPrompt(messages: ChatMessage[]): string | Block[] {
  const system = messages.filter((m) => m.role === 'system' || m.role === 'developer');
  if (!system.some((m) => Array.isArray(m.content) && m.content.some((part) => part.cache_control))) {
    return system.map((m) => contentText(m.content)).join('\n\n');
  }
  const blocks: Block[] = [];
  for (const message of system) {
    if (typeof message.content === 'string') blocks.push(...textBlock(message.content));
    else for (const part of message.content) blocks.push(...textBlock(part.text, part.cache_control));
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

function messageBlocks(message: ChatMessage): { role: Turn['role']; blocks: Block[] } | undefined {
  switch (message.role) {
    case 'system':
    case 'developer':
      return undefined;
    case 'user':
      return { role: 'user', blocks: userBlocks(message.content) };
    case 'assistant': {
      // Thinking blocks go back first and unchanged: Anthropic checks their signatures.
      const blocks: Block[] = [...(message.thinking_blocks ?? [])];
      const text = contentText(message.content);
      if (text) blocks.push(withCacheControl({ type: 'text', text }, lastCacheControl(message.content)));
      for (const call of message.tool_calls ?? []) blocks.push({ type: 'tool_use', id: call.id, name: call.function.name, input: parseArguments(call.function.arguments) });
      return { role: 'assistant', blocks };
    }
    case 'tool':
      return { role: 'user', blocks: [withCacheControl({ type: 'tool_result', tool_use_id: message.tool_call_id, content: contentText(message.content) }, lastCacheControl(message.content))] };
    default: {
      const never: never = message;
      return never;
    }
  }
}

/** Anthropic wants strictly alternating turns: consecutive same-role messages merge. */
function toTurns(messages: ChatMessage[]): Turn[] {
  const turns: Turn[] = [];
  for (const message of messages) {
    const mapped = messageBlocks(message);
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
  const system = systemPrompt(request.messages);
  const body: Record<string, unknown> = {
    model: upstreamModel,
    max_tokens: requestedMaxTokens(request) ?? 4096,
    messages: toTurns(request.messages),
  };
  if ((body.messages as Turn[]).length === 0) {
    throw new ArbiterError('invalid_request', "Invalid value for 'messages': Anthropic needs at least one non-empty user or assistant message besides the system prompt.", { param: 'messages', retryable: false });
  }
  if (system.length > 0) body.system = system;
  if (request.temperature != null) body.temperature = Math.min(1, request.temperature);
  if (request.top_p != null) body.top_p = request.top_p;
  if (request.stop != null) body.stop_sequences = typeof request.stop === 'string' ? [request.stop] : request.stop;
  if (request.user) body.metadata = { user_id: request.user };
  if (stream) body.stream = true;
  const tools: Block[] = (request.tools ?? []).map((tool) => withCacheControl({ name: tool.function.name, ...(tool.function.description ? { description: tool.function.description } : {}), input_schema: tool.function.parameters ?? { type: 'object', properties: {} } }, tool.cache_control));
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
function applyThinking(body: Record<string, unknown>, request: ChatRequest): void {
  const effort = request.reasoning_effort;
  if (effort == null || effort === 'minimal') return;
  const forced = body.tool_choice as { type?: string } | undefined;
  if (forced && (forced.type === 'tool' || forced.type === 'any')) return;
  const budget = REASONING_BUDGET_TOKENS[effort];
  body.thinking = { type: 'enabled', budget_tokens: budget };
  body.max_tokens = (body.max_tokens as number) + budget;
  delete body.temperature;
  delete body.top_p;
}

/**
 * The Anthropic Messages wire format: POST /v1/messages (JSON with text / tool_use blocks, and
 * the SSE event sequence message_start … message_stop), errors as
 * `{ type: 'error', error: { type, message } }`.
 */
import type { NeutralAnswer, NeutralRequest, NeutralTool } from './answer.js';
import { createHash } from 'node:crypto';
import { isRecord } from './answer.js';
import { eventFrame, splitJson, splitText, textOf, type ParseResult, type RenderContext, type WireFormat } from './wire.js';

function blockText(content: unknown): { text: string; toolResult: boolean; extra: string } {
  if (typeof content === 'string') return { text: content, toolResult: false, extra: '' };
  if (!Array.isArray(content)) return { text: '', toolResult: false, extra: '' };
  const texts: string[] = [];
  const extra: string[] = [];
  let toolResult = false;
  for (const block of content) {
    if (!isRecord(block)) continue;
    if (block.type === 'text' && typeof block.text === 'string') texts.push(block.text);
    else if (block.type === 'tool_result') {
      toolResult = true;
      extra.push(textOf(block.content));
    } else if (block.type === 'tool_use') extra.push(JSON.stringify(block.input ?? {}));
  }
  return { text: texts.join('\n'), toolResult, extra: extra.join('\n') };
}

/**
 * The simulator's thinking signature: a hash of the thinking text, so a block handed back
 * changed (or one never issued) is caught as Anthropic catches it. Not a secret: it only has
 * to be checkable.
 */
export function thinkingSignature(thinking: string): string {
  return createHash('sha256').update(`arbiter-sim-thinking\n${thinking}`).digest('base64');
}

function thinkingText(answer: NeutralAnswer): string {
  return answer.toolCalls.length > 0
    ? `(simulated) The user's request needs ${answer.toolCalls.map((call) => call.name).join(' and ')}; I will call it.`
    : '(simulated) I can answer this directly.';
}

/**
 * Anthropic's rules for thinking blocks handed back, as its 400s state them: signatures must
 * match, and with thinking on, an assistant turn that used tools and whose results follow must
 * open with a thinking block; with thinking off, no final assistant turn may hold one.
 * https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking#preserving-thinking-blocks
 */
function checkThinkingHistory(messages: unknown[], thinking: boolean): string | undefined {
  let lastToolTurn = -1;
  for (let index = 0; index < messages.length; index++) {
    const message = messages[index] as Record<string, unknown>;
    const blocks = Array.isArray(message.content) ? message.content.filter(isRecord) : [];
    for (let at = 0; at < blocks.length; at++) {
      const block = blocks[at]!;
      if (block.type === 'thinking' && (typeof block.thinking !== 'string' || block.signature !== thinkingSignature(block.thinking))) {
        return `messages.${index}.content.${at}: Invalid \`signature\` in \`thinking\` block`;
      }
    }
    if (message.role === 'assistant' && blocks.some((block) => block.type === 'tool_use')) lastToolTurn = index;
    if (!thinking && message.role === 'assistant' && index === messages.length - 1 && blocks.some((block) => block.type === 'thinking' || block.type === 'redacted_thinking')) {
      return `messages.${index}.content.0: When thinking is disabled, an \`assistant\` message in the final position cannot contain \`thinking\`. To use thinking blocks, enable \`thinking\` in your request.`;
    }
  }
  if (!thinking || lastToolTurn === -1 || lastToolTurn === messages.length - 1) return undefined;
  const turn = messages[lastToolTurn] as Record<string, unknown>;
  const first = Array.isArray(turn.content) && isRecord(turn.content[0]) ? String(turn.content[0].type) : 'text';
  if (first === 'thinking' || first === 'redacted_thinking') return undefined;
  return `messages.${lastToolTurn}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${first}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block (preceeding the lastmost set of \`tool_use\` and \`tool_result\` blocks). We recommend you include thinking blocks from previous turns. To avoid this requirement, disable \`thinking\`.`;
}

export function parseAnthropic(body: unknown): ParseResult {
  if (!isRecord(body)) return { ok: false, status: 400, message: 'The request body must be a JSON object.' };
  if (typeof body.model !== 'string' || body.model.length === 0) return { ok: false, status: 400, message: 'model: Field required' };
  if (!Array.isArray(body.messages) || body.messages.length === 0) return { ok: false, status: 400, message: 'messages: Field required' };
  if (body.max_tokens !== undefined && (typeof body.max_tokens !== 'number' || body.max_tokens < 1)) return { ok: false, status: 400, message: 'max_tokens: must be a positive integer' };
  const system = textOf(body.system);
  const userTexts: string[] = [];
  const promptParts: string[] = [system];
  let afterToolResult = false;
  for (const message of body.messages) {
    if (!isRecord(message) || (message.role !== 'user' && message.role !== 'assistant')) return { ok: false, status: 400, message: "messages: each message needs role 'user' or 'assistant'" };
    const parsed = blockText(message.content);
    promptParts.push(parsed.text, parsed.extra);
    if (message.role === 'user' && parsed.text.length > 0) userTexts.push(parsed.text);
    afterToolResult = message.role === 'user' && parsed.toolResult;
  }
  const tools: NeutralTool[] = [];
  if (Array.isArray(body.tools)) {
    for (const tool of body.tools) {
      if (!isRecord(tool) || typeof tool.name !== 'string') continue;
      tools.push({ name: tool.name, description: typeof tool.description === 'string' ? tool.description : undefined, parameters: isRecord(tool.input_schema) ? tool.input_schema : undefined });
    }
    promptParts.push(JSON.stringify(body.tools));
  }
  const thinking = isRecord(body.thinking) && body.thinking.type === 'enabled';
  const refused = checkThinkingHistory(body.messages, thinking);
  if (refused) return { ok: false, status: 400, message: refused };
  const choice = isRecord(body.tool_choice) ? body.tool_choice : undefined;
  const forcedTool = choice?.type === 'tool' && typeof choice.name === 'string' ? choice.name : undefined;
  const request: NeutralRequest = {
    model: body.model,
    system,
    userTexts,
    promptParts,
    messageCount: body.messages.length + (system ? 1 : 0),
    tools,
    forcedTool,
    toolRequired: choice?.type === 'any',
    toolsDisabled: choice?.type === 'none',
    parallelToolCalls: choice?.disable_parallel_tool_use !== true,
    maxTokens: typeof body.max_tokens === 'number' ? Math.floor(body.max_tokens) : undefined,
    json: false,
    afterToolResult,
    stream: body.stream === true,
    choices: 1,
  };
  return { ok: true, request, includeUsage: true, thinking };
}

const stopReasons = { stop: 'end_turn', length: 'max_tokens', tool_calls: 'tool_use' } as const;

function errorType(status: number): string {
  switch (status) {
    case 400: return 'invalid_request_error';
    case 401: return 'authentication_error';
    case 404: return 'not_found_error';
    case 413: return 'request_too_large';
    case 429: return 'rate_limit_error';
    case 529: return 'overloaded_error';
    default: return status >= 500 ? 'api_error' : 'invalid_request_error';
  }
}

function toolId(id: string): string {
  return `toolu_${id}`;
}

function usage(answer: NeutralAnswer, outputTokens: number): Record<string, unknown> {
  return { input_tokens: answer.promptTokens, output_tokens: outputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, service_tier: 'standard' };
}

export const anthropicWire: WireFormat = {
  name: 'anthropic',
  error(status, message) {
    return JSON.stringify({ type: 'error', error: { type: errorType(status), message } });
  },
  json(answers, ctx: RenderContext) {
    const answer = answers[0]!;
    const content: Array<Record<string, unknown>> = [];
    if (ctx.thinking) {
      const thinking = thinkingText(answer);
      content.push({ type: 'thinking', thinking, signature: thinkingSignature(thinking) });
    }
    if (answer.text.length > 0 || answer.toolCalls.length === 0) content.push({ type: 'text', text: answer.text });
    for (const call of answer.toolCalls) content.push({ type: 'tool_use', id: toolId(call.id), name: call.name, input: call.args });
    return JSON.stringify({
      id: ctx.id,
      type: 'message',
      role: 'assistant',
      model: ctx.model,
      content,
      stop_reason: stopReasons[answer.finish],
      stop_sequence: null,
      usage: usage(answer, answer.completionTokens),
    });
  },
  stream(answers, ctx: RenderContext) {
    const answer = answers[0]!;
    const frames: string[] = [
      eventFrame('message_start', {
        type: 'message_start',
        message: { id: ctx.id, type: 'message', role: 'assistant', model: ctx.model, content: [], stop_reason: null, stop_sequence: null, usage: usage(answer, 1) },
      }),
    ];
    let index = 0;
    let pinged = false;
    const ping = (): void => {
      if (!pinged) frames.push(eventFrame('ping', { type: 'ping' }));
      pinged = true;
    };
    if (ctx.thinking) {
      const thinking = thinkingText(answer);
      frames.push(eventFrame('content_block_start', { type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } }));
      ping();
      for (const piece of splitText(thinking)) frames.push(eventFrame('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking: piece } }));
      frames.push(eventFrame('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'signature_delta', signature: thinkingSignature(thinking) } }));
      frames.push(eventFrame('content_block_stop', { type: 'content_block_stop', index }));
      index++;
    }
    if (answer.text.length > 0 || answer.toolCalls.length === 0) {
      frames.push(eventFrame('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } }));
      ping();
      for (const piece of splitText(answer.text)) frames.push(eventFrame('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } }));
      frames.push(eventFrame('content_block_stop', { type: 'content_block_stop', index }));
      index++;
    }
    for (const call of answer.toolCalls) {
      frames.push(eventFrame('content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id: toolId(call.id), name: call.name, input: {} } }));
      ping();
      for (const piece of splitJson(JSON.stringify(call.args))) frames.push(eventFrame('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: piece } }));
      frames.push(eventFrame('content_block_stop', { type: 'content_block_stop', index }));
      index++;
    }
    frames.push(eventFrame('message_delta', { type: 'message_delta', delta: { stop_reason: stopReasons[answer.finish], stop_sequence: null }, usage: { output_tokens: answer.completionTokens } }));
    frames.push(eventFrame('message_stop', { type: 'message_stop' }));
    return frames;
  },
  malformedFrame: 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":\n\n',
  // https://docs.anthropic.com/en/docs/build-with-claude/streaming#error-events
  streamErrorFrame: eventFrame('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded (simulated)' } }),
  overloadedStatus: 529,
};

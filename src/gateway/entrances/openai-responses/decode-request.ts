/**
 * A Responses API body → the canonical (Chat Completions) request. Input items become chat
 * messages in order: a function_call joins the assistant message before it (or starts one),
 * a function_call_output is a tool message; `instructions` is the system message, and it is
 * not carried over from a previous response (OpenAI's rule for previous_response_id).
 * https://platform.openai.com/docs/api-reference/responses/create
 */
import type { z } from 'zod';
import { findTooDeep, formatParamPath, MAX_BODY_DEPTH, parseChatRequest, zodToArbiterError } from '../../../core/chat-request.js';
import type { ChatMessage, ChatRequest, UserContentPart } from '../../../core/chat-request.js';
import { ArbiterError } from '../../../core/errors.js';
import {
  functionCallItemSchema, functionCallOutputItemSchema, messageItemSchema, responsesRequestSchema,
  type InputContent, type ResponsesRequest,
} from './wire.js';

export interface DecodedResponsesRequest {
  wire: ResponsesRequest;
  /** The turn's own input as chat messages (no instructions): what a stored conversation keeps. */
  input: ChatMessage[];
}

function invalid(param: string, message: string): ArbiterError {
  return new ArbiterError('invalid_request', `Invalid value for '${param}': ${message}`, { param });
}

function parseItem<T>(schema: z.ZodType<T>, item: unknown, param: string): T {
  const result = schema.safeParse(item);
  if (!result.success) throw zodToArbiterError(result.error, param);
  return result.data;
}

function userParts(content: InputContent[], param: string): UserContentPart[] {
  return content.map((part, index): UserContentPart => {
    const at = `${param}[${index}]`;
    switch (part.type) {
      case 'input_text':
      case 'output_text': return { type: 'text', text: part.text };
      case 'refusal': return { type: 'text', text: part.refusal };
      case 'input_image':
        // Files uploaded to OpenAI live there: no other upstream could read a file_id.
        if (!part.image_url) throw invalid(`${at}.image_url`, 'images must be sent as image_url (a URL or data URL); file_id is not supported by this gateway.');
        return { type: 'image_url', image_url: { url: part.image_url, ...(part.detail ? { detail: part.detail } : {}) } };
      case 'input_file':
        if (!part.file_data) throw invalid(`${at}.file_data`, 'files must be sent inline as file_data; file_id is not supported by this gateway.');
        return { type: 'file', file: { file_data: part.file_data, ...(part.filename ? { filename: part.filename } : {}) } };
      default: {
        const never: never = part;
        return never;
      }
    }
  });
}

function textOnly(content: string | InputContent[], param: string): string {
  if (typeof content === 'string') return content;
  return content.map((part, index) => {
    if (part.type === 'input_text' || part.type === 'output_text') return part.text;
    if (part.type === 'refusal') return part.refusal;
    throw invalid(`${param}[${index}].type`, `a ${part.type} part is not allowed here; only text.`);
  }).join('');
}

function messageOf(item: z.infer<typeof messageItemSchema>, param: string): ChatMessage {
  const content = item.content;
  switch (item.role) {
    case 'user':
      return { role: 'user', content: typeof content === 'string' ? content : userParts(content, `${param}.content`) };
    case 'assistant': {
      const text = typeof content === 'string' ? content : textOnly(content.filter((part) => part.type !== 'refusal'), `${param}.content`);
      const refused = typeof content === 'string' ? '' : content.map((part) => part.type === 'refusal' ? part.refusal : '').join('');
      return { role: 'assistant', content: text, ...(refused ? { refusal: refused } : {}) };
    }
    case 'system':
    case 'developer':
      return { role: item.role, content: textOnly(content, `${param}.content`) };
    default: {
      const never: never = item.role;
      return never;
    }
  }
}

/** Input items → chat messages. */
export function inputMessages(input: ResponsesRequest['input']): ChatMessage[] {
  if (typeof input === 'string') return [{ role: 'user', content: input }];
  const out: ChatMessage[] = [];
  input.forEach((item, index) => {
    const param = `input[${index}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw invalid(param, 'each input item must be an object.');
    const type = (item as { type?: unknown }).type ?? 'message';
    switch (type) {
      case 'message':
        out.push(messageOf(parseItem(messageItemSchema, item, param), param));
        break;
      case 'function_call': {
        const call = parseItem(functionCallItemSchema, item, param);
        const toolCall = { id: call.call_id, type: 'function' as const, function: { name: call.name, arguments: call.arguments } };
        const last = out[out.length - 1];
        if (last?.role === 'assistant') last.tool_calls = [...(last.tool_calls ?? []), toolCall];
        else out.push({ role: 'assistant', content: null, tool_calls: [toolCall] });
        break;
      }
      case 'function_call_output': {
        const result = parseItem(functionCallOutputItemSchema, item, param);
        out.push({ role: 'tool', tool_call_id: result.call_id, content: textOnly(result.output, `${param}.output`) });
        break;
      }
      // Reasoning items come back when a client replays a previous output as input: the
      // canonical request has no place for another provider's encrypted reasoning.
      case 'reasoning':
        break;
      default:
        throw invalid(`${param}.type`, `input items of type '${String(type)}' are not supported by this gateway (message, function_call, function_call_output and reasoning are).`);
    }
  });
  return out;
}

/** Fields the gateway cannot honour are refused by name, never silently dropped. */
function refuseUnsupported(body: Record<string, unknown>): void {
  if (body.background === true) throw invalid('background', 'background responses are not supported by this gateway.');
  if (body.conversation != null) throw invalid('conversation', 'conversations are not supported by this gateway; use previous_response_id on a route that stores bodies.');
  if (body.prompt != null) throw invalid('prompt', 'stored prompt templates are not supported by this gateway.');
  const tools = body.tools;
  if (Array.isArray(tools)) {
    tools.forEach((tool, index) => {
      const type = (tool as { type?: unknown } | null)?.type;
      if (type !== 'function') throw invalid(`tools[${index}].type`, `built-in tool '${String(type)}' is not supported by this gateway; only function tools are.`);
    });
  }
}

export function decodeResponsesBody(body: unknown): DecodedResponsesRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ArbiterError('invalid_request', 'The request body must be a JSON object.');
  }
  const deep = findTooDeep(body);
  if (deep) {
    const param = formatParamPath(deep);
    throw invalid(param, `nested more than ${MAX_BODY_DEPTH} levels deep.`);
  }
  refuseUnsupported(body as Record<string, unknown>);
  const result = responsesRequestSchema.safeParse(body);
  if (!result.success) throw zodToArbiterError(result.error);
  const wire = result.data;
  return { wire, input: inputMessages(wire.input) };
}

/** The canonical request for this turn: instructions, then the earlier turns (if any), then this input. */
export function toCanonicalRequest(wire: ResponsesRequest, history: ChatMessage[], input: ChatMessage[]): ChatRequest {
  const messages: ChatMessage[] = [];
  if (wire.instructions) messages.push({ role: 'system', content: wire.instructions });
  messages.push(...history, ...input);
  if (messages.length === 0) throw invalid('input', 'the input is empty.');
  const format = wire.text?.format;
  const effort = wire.reasoning?.effort;
  const canonical: ChatRequest = {
    model: wire.model,
    messages,
    ...(wire.tools && wire.tools.length > 0 ? {
      tools: wire.tools.map((tool) => ({
        type: 'function' as const,
        function: {
          name: tool.name,
          ...(tool.description ? { description: tool.description } : {}),
          ...(tool.parameters ? { parameters: tool.parameters } : {}),
          ...(tool.strict != null ? { strict: tool.strict } : {}),
        },
      })),
    } : {}),
    ...(wire.tool_choice !== undefined ? { tool_choice: typeof wire.tool_choice === 'string' ? wire.tool_choice : { type: 'function' as const, function: { name: wire.tool_choice.name } } } : {}),
    ...(wire.parallel_tool_calls != null ? { parallel_tool_calls: wire.parallel_tool_calls } : {}),
    ...(format && format.type !== 'text' ? {
      response_format: format.type === 'json_object' ? { type: 'json_object' as const } : {
        type: 'json_schema' as const,
        json_schema: { name: format.name, schema: format.schema, ...(format.description ? { description: format.description } : {}), ...(format.strict != null ? { strict: format.strict } : {}) },
      },
    } : {}),
    // 'none' is no reasoning; 'xhigh' is the most the canonical scale has.
    ...(effort && effort !== 'none' ? { reasoning_effort: effort === 'xhigh' ? 'high' as const : effort } : {}),
    ...(wire.max_output_tokens != null ? { max_completion_tokens: wire.max_output_tokens } : {}),
    ...(wire.temperature != null ? { temperature: wire.temperature } : {}),
    ...(wire.top_p != null ? { top_p: wire.top_p } : {}),
    ...(wire.stream ? { stream: true, stream_options: { include_usage: true } } : {}),
    ...(wire.user ? { user: wire.user } : {}),
  };
  return parseChatRequest(canonical);
}

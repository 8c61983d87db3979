/**
 * Canonical request → Gemini generateContent body.
 * https://ai.google.dev/api/generate-content
 */
import { REASONING_BUDGET_TOKENS } from '../../core/reasoning-budget.js';
import type { ChatMessage, ChatRequest } from '../../core/chat-request.js';
import { contentText, requestedMaxTokens } from '../../core/chat-request.js';
import { ArbiterError } from '../../core/errors.js';
import { ownValue } from '../../core/own-property.js';
import { SYNTHETIC_CALL_PREFIX } from './parts.js';
import { toGeminiSchema } from './schema.js';

type Part = Record<string, unknown>;
interface Content { role: 'user' | 'model'; parts: Part[] }

function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text || '{}');
  } catch {
    return {};
  }
}

/** Call ids Gemini issued go back with the call and its response; the ones we made up do not. */
function issuedId(id: string): boolean {
  return id !== '' && !id.startsWith(SYNTHETIC_CALL_PREFIX);
}

const extensionMime: Record<string, string> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', webp: 'image/webp', gif: 'image/gif', heic: 'image/heic', heif: 'image/heif', pdf: 'application/pdf',
};

/**
 * A data URL is inline bytes; anything else is a fileData URI, which needs its mimeType
 * (FileData.mimeType is required), taken from the extension when the URL has one.
 */
function mediaPart(url: string, fallbackMime: string): Part {
  const match = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  if (match) return { inlineData: { mimeType: match[1], data: match[2] } };
  const extension = /\.([a-z0-9]+)(?:[?#].*)?$/i.exec(url)?.[1]?.toLowerCase() ?? '';
  return { fileData: { mimeType: ownValue(extensionMime, extension) ?? fallbackMime, fileUri: url } };
}

function toolNames(messages: ChatMessage[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const message of messages) {
    if (message.role === 'assistant') for (const call of message.tool_calls ?? []) names.set(call.id, call.function.name);
  }
  return names;
}

function parts(message: ChatMessage, names: Map<string, string>): { role: Content['role']; parts: Part[] } | undefined {
  switch (message.role) {
    case 'system':
    case 'developer':
      return undefined;
    case 'user': {
      if (typeof message.content === 'string') return { role: 'user', parts: [{ text: message.content }] };
      const out: Part[] = [];
      for (const part of message.content) {
        if (part.type === 'text') out.push({ text: part.text });
        else if (part.type === 'image_url') out.push(mediaPart(part.image_url.url, 'image/jpeg'));
        else if (part.type === 'file' && part.file.file_data) out.push(mediaPart(part.file.file_data, 'application/pdf'));
        else if (part.type === 'input_audio') out.push({ inlineData: { mimeType: `audio/${part.input_audio.format}`, data: part.input_audio.data } });
      }
      return { role: 'user', parts: out };
    }
    case 'assistant': {
      const out: Part[] = [];
      const text = contentText(message.content);
      if (text) out.push({ text });
      for (const call of message.tool_calls ?? []) {
        const signature = call.extra_content?.google?.thought_signature;
        out.push({
          functionCall: { ...(issuedId(call.id) ? { id: call.id } : {}), name: call.function.name, args: parseArguments(call.function.arguments) },
          ...(signature ? { thoughtSignature: signature } : {}),
        });
      }
      return { role: 'model', parts: out };
    }
    case 'tool': {
      const text = contentText(message.content);
      let response: unknown;
      try { response = JSON.parse(text); } catch { response = text; }
      const wrapped = response && typeof response === 'object' && !Array.isArray(response) ? response : { content: response };
      const id = issuedId(message.tool_call_id) ? { id: message.tool_call_id } : {};
      return { role: 'user', parts: [{ functionResponse: { ...id, name: names.get(message.tool_call_id) ?? message.tool_call_id, response: wrapped } }] };
    }
    default: {
      const never: never = message;
      return never;
    }
  }
}

export function toGeminiRequest(request: ChatRequest): Record<string, unknown> {
  const names = toolNames(request.messages);
  const contents: Content[] = [];
  for (const message of request.messages) {
    const mapped = parts(message, names);
    if (!mapped || mapped.parts.length === 0) continue;
    const last = contents[contents.length - 1];
    if (last && last.role === mapped.role) last.parts.push(...mapped.parts);
    else contents.push({ role: mapped.role, parts: mapped.parts });
  }
  if (contents.length === 0) {
    throw new ArbiterError('invalid_request', "Invalid value for 'messages': Gemini needs at least one non-empty user or assistant message besides the system instruction.", { param: 'messages', retryable: false });
  }
  const body: Record<string, unknown> = { contents };
  const system = request.messages.filter((m) => m.role === 'system' || m.role === 'developer').map((m) => contentText(m.content)).join('\n\n');
  if (system) body.systemInstruction = { parts: [{ text: system }] };
  const generationConfig: Record<string, unknown> = {};
  if (request.temperature != null) generationConfig.temperature = request.temperature;
  if (request.top_p != null) generationConfig.topP = request.top_p;
  const maxTokens = requestedMaxTokens(request);
  if (maxTokens !== undefined) generationConfig.maxOutputTokens = maxTokens;
  if (request.stop != null) generationConfig.stopSequences = typeof request.stop === 'string' ? [request.stop] : request.stop;
  if (request.seed != null) generationConfig.seed = request.seed;
  if (request.n != null) generationConfig.candidateCount = request.n;
  if (request.presence_penalty != null) generationConfig.presencePenalty = request.presence_penalty;
  if (request.frequency_penalty != null) generationConfig.frequencyPenalty = request.frequency_penalty;
  // reasoning_effort as a thinking budget (tokens); 'minimal' turns thinking off where the
  // model allows it (Flash). https://ai.google.dev/gemini-api/docs/thinking
  if (request.reasoning_effort != null) generationConfig.thinkingConfig = { thinkingBudget: REASONING_BUDGET_TOKENS[request.reasoning_effort] };
  if (request.logprobs) {
    generationConfig.responseLogprobs = true;
    if (request.top_logprobs != null) generationConfig.logprobs = request.top_logprobs;
  }
  const format = request.response_format;
  if (format?.type === 'json_object') generationConfig.responseMimeType = 'application/json';
  if (format?.type === 'json_schema') {
    generationConfig.responseMimeType = 'application/json';
    if (format.json_schema.schema) generationConfig.responseSchema = toGeminiSchema(format.json_schema.schema);
  }
  if (Object.keys(generationConfig).length > 0) body.generationConfig = generationConfig;
  if (request.tools?.length) {
    body.tools = [{ functionDeclarations: request.tools.map((tool) => ({ name: tool.function.name, ...(tool.function.description ? { description: tool.function.description } : {}), ...(tool.function.parameters ? { parameters: toGeminiSchema(tool.function.parameters) } : {}) })) }];
    const choice = request.tool_choice;
    if (choice !== undefined) {
      const config = choice === 'none' ? { mode: 'NONE' } : choice === 'auto' ? { mode: 'AUTO' } : choice === 'required' ? { mode: 'ANY' } : { mode: 'ANY', allowedFunctionNames: [choice.function.name] };
      body.toolConfig = { functionCallingConfig: config };
    }
  }
  return body;
}

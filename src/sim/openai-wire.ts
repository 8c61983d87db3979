/**
 * The OpenAI wire format: POST /v1/chat/completions (JSON and SSE chunks ending with
 * `data: [DONE]`, a final `choices: []` usage chunk when stream_options.include_usage),
 * GET /v1/models, POST /v1/embeddings.
 */
import type { NeutralAnswer, NeutralRequest, NeutralTool } from './answer.js';
import { isRecord } from './answer.js';
import { SIM_SLATE } from './slate.js';
import { hashString } from './random.js';
import { countTokens } from './tokens.js';
import { choiceCount, completionTokensOf, dataFrame, interleave, splitJson, splitText, textOf, type ParseResult, type RenderContext, type WireFormat } from './wire.js';

export function parseOpenAi(body: unknown): ParseResult {
  if (!isRecord(body)) return { ok: false, status: 400, message: 'The request body must be a JSON object.' };
  if (typeof body.model !== 'string' || body.model.length === 0) return { ok: false, status: 400, message: "'model' is required and must be a string." };
  if (!Array.isArray(body.messages) || body.messages.length === 0) return { ok: false, status: 400, message: "'messages' must be a non-empty array." };
  let system = '';
  const userTexts: string[] = [];
  const promptParts: string[] = [];
  let afterToolResult = false;
  for (const message of body.messages) {
    if (!isRecord(message) || typeof message.role !== 'string') return { ok: false, status: 400, message: "Each message needs a 'role'." };
    const text = textOf(message.content);
    promptParts.push(text);
    if (message.role === 'system' || message.role === 'developer') system += (system ? '\n' : '') + text;
    else if (message.role === 'user') userTexts.push(text);
    if (Array.isArray(message.tool_calls)) promptParts.push(JSON.stringify(message.tool_calls));
    afterToolResult = message.role === 'tool';
  }
  const tools: NeutralTool[] = [];
  if (Array.isArray(body.tools)) {
    for (const tool of body.tools) {
      if (!isRecord(tool) || !isRecord(tool.function) || typeof tool.function.name !== 'string') continue;
      tools.push({ name: tool.function.name, description: typeof tool.function.description === 'string' ? tool.function.description : undefined, parameters: isRecord(tool.function.parameters) ? tool.function.parameters : undefined });
    }
    promptParts.push(JSON.stringify(body.tools));
  }
  const choice = body.tool_choice;
  const forcedTool = isRecord(choice) && isRecord(choice.function) && typeof choice.function.name === 'string' ? choice.function.name : undefined;
  const format = isRecord(body.response_format) ? body.response_format : undefined;
  const jsonSchema = format && isRecord(format.json_schema) && isRecord(format.json_schema.schema) ? format.json_schema.schema : undefined;
  const maxRaw = body.max_completion_tokens ?? body.max_tokens;
  const choices = choiceCount(body.n, 'n');
  if (typeof choices === 'string') return { ok: false, status: 400, message: choices };
  const request: NeutralRequest = {
    model: body.model,
    system,
    userTexts,
    promptParts,
    messageCount: body.messages.length,
    tools,
    forcedTool,
    toolRequired: choice === 'required',
    toolsDisabled: choice === 'none',
    parallelToolCalls: body.parallel_tool_calls !== false,
    maxTokens: typeof maxRaw === 'number' && maxRaw > 0 ? Math.floor(maxRaw) : undefined,
    json: format !== undefined && (format.type === 'json_object' || format.type === 'json_schema'),
    jsonSchema,
    afterToolResult,
    stream: body.stream === true,
    choices,
  };
  const includeUsage = isRecord(body.stream_options) && body.stream_options.include_usage === true;
  return { ok: true, request, includeUsage };
}

const finishReasons = { stop: 'stop', length: 'length', tool_calls: 'tool_calls' } as const;

function usage(answers: readonly NeutralAnswer[]): Record<string, unknown> {
  const promptTokens = answers[0]?.promptTokens ?? 0;
  const completionTokens = completionTokensOf(answers);
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

function callId(id: string): string {
  return `call_${id}`;
}

export const openAiWire: WireFormat = {
  name: 'openai',
  error(status, message) {
    // OpenAI's 429 body: type 'requests' (or 'tokens'), code 'rate_limit_exceeded'.
    const type = status === 429 ? 'requests' : status >= 500 ? 'server_error' : 'invalid_request_error';
    const code = status === 404 ? 'model_not_found' : status === 429 ? 'rate_limit_exceeded' : null;
    return JSON.stringify({ error: { message, type, param: null, code } });
  },
  json(answers, ctx: RenderContext) {
    const choices = answers.map((answer, index) => {
      const message: Record<string, unknown> = { role: 'assistant', content: answer.text.length > 0 || answer.toolCalls.length === 0 ? answer.text : null, refusal: null, annotations: [] };
      if (answer.toolCalls.length > 0) {
        message.tool_calls = answer.toolCalls.map((call) => ({ id: callId(call.id), type: 'function', function: { name: call.name, arguments: JSON.stringify(call.args) } }));
      }
      return { index, message, logprobs: null, finish_reason: finishReasons[answer.finish] };
    });
    return JSON.stringify({
      id: ctx.id,
      object: 'chat.completion',
      created: ctx.created,
      model: ctx.model,
      system_fingerprint: 'fp_arbiter_sim',
      choices,
      usage: usage(answers),
    });
  },
  stream(answers, ctx: RenderContext) {
    const base = { id: ctx.id, object: 'chat.completion.chunk', created: ctx.created, model: ctx.model, system_fingerprint: 'fp_arbiter_sim' };
    const extra = ctx.includeUsage ? { usage: null } : {};
    const choiceFrames = answers.map((answer, choice) => {
      const chunk = (delta: Record<string, unknown>, finish: string | null = null): string =>
        dataFrame({ ...base, choices: [{ index: choice, delta, logprobs: null, finish_reason: finish }], ...extra });
      const frames: string[] = [chunk({ role: 'assistant', content: '', refusal: null })];
      for (const piece of splitText(answer.text)) frames.push(chunk({ content: piece }));
      answer.toolCalls.forEach((call, index) => {
        frames.push(chunk({ tool_calls: [{ index, id: callId(call.id), type: 'function', function: { name: call.name, arguments: '' } }] }));
        for (const piece of splitJson(JSON.stringify(call.args))) frames.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
      });
      frames.push(chunk({}, finishReasons[answer.finish]));
      return frames;
    });
    const frames = interleave(choiceFrames);
    if (ctx.includeUsage) frames.push(dataFrame({ ...base, choices: [], usage: usage(answers) }));
    frames.push('data: [DONE]\n\n');
    return frames;
  },
  // A chunk cut short right after a closing brace: it starts with {, ends with } and names its
  // choices, which a check of the ends and the keys alone takes for a whole chunk.
  malformedFrame: 'data: {"id":"chatcmpl-broken","object":"chat.completion.chunk","created":1,"model":"sim","choices":[{"index":0,"delta":{"content":"cut"}\n\n',
  // OpenAI's SDK raises on a `data:` payload carrying `error` (openai-node core/streaming.ts).
  streamErrorFrame: dataFrame({ error: { message: 'The server had an error while processing your request. Sorry about that! (simulated)', type: 'server_error', param: null, code: null } }),
  overloadedStatus: 503,
};

export function modelList(): string {
  return JSON.stringify({ object: 'list', data: SIM_SLATE.map((model) => ({ id: model.id, object: 'model', created: 1_700_000_000, owned_by: model.vendor })) });
}

/** A deterministic, normalised embedding: hashed bag of words plus a little per-text noise. */
export function embed(text: string, dimensions: number): Float32Array {
  const vector = new Float32Array(dimensions);
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  for (const word of words) {
    const hash = hashString(word);
    vector[hash % dimensions] = (vector[hash % dimensions] ?? 0) + ((hash & 0x80000000) !== 0 ? 1 : -1);
    const second = hashString(word, 0x9e3779b9);
    vector[second % dimensions] = (vector[second % dimensions] ?? 0) + ((second & 1) !== 0 ? 0.5 : -0.5);
  }
  let state = hashString(text) || 1;
  for (let i = 0; i < dimensions; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    vector[i] = (vector[i] ?? 0) + (((state >>> 0) / 4294967296) - 0.5) * 0.05;
  }
  let norm = 0;
  for (let i = 0; i < dimensions; i++) norm += (vector[i] ?? 0) ** 2;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < dimensions; i++) vector[i] = (vector[i] ?? 0) / norm;
  return vector;
}

export function embeddings(body: unknown): { status: number; body: string } {
  const fail = (message: string): { status: number; body: string } => ({ status: 400, body: openAiWire.error(400, message) });
  if (!isRecord(body)) return fail('The request body must be a JSON object.');
  if (typeof body.model !== 'string' || body.model.length === 0) return fail("'model' is required.");
  const input = body.input;
  let texts: string[];
  if (typeof input === 'string') texts = [input];
  else if (Array.isArray(input) && input.length > 0 && input.every((item) => typeof item === 'string')) texts = input as string[];
  else if (Array.isArray(input) && input.length > 0 && input.every((item) => typeof item === 'number')) texts = [(input as number[]).join(' ')];
  else if (Array.isArray(input) && input.length > 0 && input.every((item) => Array.isArray(item))) texts = (input as unknown[][]).map((item) => item.join(' '));
  else return fail("'input' must be a string, an array of strings or an array of token arrays.");
  if (texts.length > 2048) return fail("'input' may hold at most 2048 items.");
  const defaultDims = body.model.includes('large') ? 3072 : 1536;
  const dims = body.dimensions;
  if (dims !== undefined && (typeof dims !== 'number' || !Number.isInteger(dims) || dims < 1 || dims > 8192)) return fail("'dimensions' must be an integer between 1 and 8192.");
  const dimensions = typeof dims === 'number' ? dims : defaultDims;
  const base64 = body.encoding_format === 'base64';
  let tokens = 0;
  const data = texts.map((text, index) => {
    tokens += countTokens(text);
    const vector = embed(text, dimensions);
    return { object: 'embedding', index, embedding: base64 ? Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64') : Array.from(vector) };
  });
  return { status: 200, body: JSON.stringify({ object: 'list', data, model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } }) };
}

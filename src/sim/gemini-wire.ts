/**
 * The Gemini wire format: POST /v1beta/models/{model}:generateContent and
 * :streamGenerateContent?alt=sse (a stream of GenerateContentResponse objects on `data:`
 * lines), errors as `{ error: { code, message, status } }`.
 */
import type { NeutralAnswer, NeutralRequest, NeutralTool } from './answer.js';
import { isRecord } from './answer.js';
import { embed } from './openai-wire.js';
import { choiceCount, completionTokensOf, dataFrame, interleave, splitText, type ParseResult, type RenderContext, type WireFormat } from './wire.js';

function partsText(content: unknown): { text: string; functionResponse: boolean; extra: string } {
  if (!isRecord(content) || !Array.isArray(content.parts)) return { text: '', functionResponse: false, extra: '' };
  const texts: string[] = [];
  const extra: string[] = [];
  let functionResponse = false;
  for (const part of content.parts) {
    if (!isRecord(part)) continue;
    if (typeof part.text === 'string' && part.thought !== true) texts.push(part.text);
    if (isRecord(part.functionResponse)) {
      functionResponse = true;
      extra.push(JSON.stringify(part.functionResponse.response ?? {}));
    }
    if (isRecord(part.functionCall)) extra.push(JSON.stringify(part.functionCall.args ?? {}));
  }
  return { text: texts.join('\n'), functionResponse, extra: extra.join('\n') };
}

export function parseGemini(body: unknown, model: string, stream: boolean): ParseResult {
  if (!isRecord(body)) return { ok: false, status: 400, message: 'Invalid JSON payload received. The request body must be an object.' };
  if (!Array.isArray(body.contents) || body.contents.length === 0) return { ok: false, status: 400, message: '* GenerateContentRequest.contents: contents is not specified' };
  const system = typeof body.systemInstruction === 'string' ? body.systemInstruction : partsText(body.systemInstruction).text;
  const userTexts: string[] = [];
  const promptParts: string[] = [system];
  let afterToolResult = false;
  for (const content of body.contents) {
    if (!isRecord(content)) return { ok: false, status: 400, message: '* GenerateContentRequest.contents: each content must be an object' };
    const parsed = partsText(content);
    promptParts.push(parsed.text, parsed.extra);
    const role = content.role ?? 'user';
    if (role === 'user' && parsed.text.length > 0) userTexts.push(parsed.text);
    afterToolResult = parsed.functionResponse;
  }
  const tools: NeutralTool[] = [];
  if (Array.isArray(body.tools)) {
    for (const tool of body.tools) {
      if (!isRecord(tool) || !Array.isArray(tool.functionDeclarations)) continue;
      for (const fn of tool.functionDeclarations) {
        if (!isRecord(fn) || typeof fn.name !== 'string') continue;
        const parameters = isRecord(fn.parametersJsonSchema) ? fn.parametersJsonSchema : isRecord(fn.parameters) ? fn.parameters : undefined;
        tools.push({ name: fn.name, description: typeof fn.description === 'string' ? fn.description : undefined, parameters });
      }
    }
    promptParts.push(JSON.stringify(body.tools));
  }
  const config = isRecord(body.toolConfig) && isRecord(body.toolConfig.functionCallingConfig) ? body.toolConfig.functionCallingConfig : undefined;
  const mode = typeof config?.mode === 'string' ? config.mode.toUpperCase() : 'AUTO';
  const allowed = Array.isArray(config?.allowedFunctionNames) ? config.allowedFunctionNames.filter((name): name is string => typeof name === 'string') : [];
  const generation = isRecord(body.generationConfig) ? body.generationConfig : {};
  const schema = isRecord(generation.responseJsonSchema) ? generation.responseJsonSchema : isRecord(generation.responseSchema) ? generation.responseSchema : undefined;
  const choices = choiceCount(generation.candidateCount, 'generationConfig.candidateCount');
  if (typeof choices === 'string') return { ok: false, status: 400, message: choices };
  const request: NeutralRequest = {
    model,
    system,
    userTexts,
    promptParts,
    messageCount: body.contents.length + (system ? 1 : 0),
    tools,
    forcedTool: (mode === 'ANY' || mode === 'VALIDATED') && allowed.length === 1 ? allowed[0] : undefined,
    toolRequired: mode === 'ANY',
    toolsDisabled: mode === 'NONE',
    // Gemini has no switch for this: it may always call several functions in one turn.
    parallelToolCalls: true,
    maxTokens: typeof generation.maxOutputTokens === 'number' && generation.maxOutputTokens > 0 ? Math.floor(generation.maxOutputTokens) : undefined,
    json: generation.responseMimeType === 'application/json' || schema !== undefined,
    jsonSchema: schema,
    afterToolResult,
    stream,
    choices,
  };
  return { ok: true, request, includeUsage: true };
}

function statusName(status: number): string {
  switch (status) {
    case 400: return 'INVALID_ARGUMENT';
    case 401: return 'UNAUTHENTICATED';
    case 403: return 'PERMISSION_DENIED';
    case 404: return 'NOT_FOUND';
    case 413: return 'INVALID_ARGUMENT';
    case 429: return 'RESOURCE_EXHAUSTED';
    case 503: return 'UNAVAILABLE';
    default: return status >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION';
  }
}

function usageMetadata(answers: readonly NeutralAnswer[]): Record<string, unknown> {
  const promptTokens = answers[0]?.promptTokens ?? 0;
  const candidatesTokens = completionTokensOf(answers);
  return { promptTokenCount: promptTokens, candidatesTokenCount: candidatesTokens, totalTokenCount: promptTokens + candidatesTokens };
}

function finishReason(answer: NeutralAnswer): string {
  return answer.finish === 'length' ? 'MAX_TOKENS' : 'STOP';
}

function callParts(answer: NeutralAnswer): Array<Record<string, unknown>> {
  return answer.toolCalls.map((call) => ({ functionCall: { name: call.name, args: call.args } }));
}

export const geminiWire: WireFormat = {
  name: 'gemini',
  error(status, message) {
    return JSON.stringify({ error: { code: status, message, status: statusName(status) } });
  },
  json(answers, ctx: RenderContext) {
    const candidates = answers.map((answer, index) => {
      const parts: Array<Record<string, unknown>> = [];
      if (answer.text.length > 0 || answer.toolCalls.length === 0) parts.push({ text: answer.text });
      parts.push(...callParts(answer));
      return { content: { role: 'model', parts }, finishReason: finishReason(answer), index };
    });
    return JSON.stringify({
      candidates,
      usageMetadata: usageMetadata(answers),
      modelVersion: ctx.model,
      responseId: ctx.id,
    });
  },
  stream(answers, ctx: RenderContext) {
    const common = { modelVersion: ctx.model, responseId: ctx.id };
    const promptOnly = { promptTokenCount: answers[0]?.promptTokens ?? 0, totalTokenCount: answers[0]?.promptTokens ?? 0 };
    // Each candidate's pieces, with its finish reason on its last; the full usage rides on the stream's last frame.
    const perCandidate = answers.map((answer, candidate) => {
      const frames: Array<Record<string, unknown>> = [];
      const pieces = splitText(answer.text);
      pieces.forEach((piece, index) => {
        const last = index === pieces.length - 1 && answer.toolCalls.length === 0;
        frames.push({ content: { role: 'model', parts: [{ text: piece }] }, ...(last ? { finishReason: finishReason(answer) } : {}), index: candidate });
      });
      if (answer.toolCalls.length > 0 || pieces.length === 0) {
        const parts = answer.toolCalls.length > 0 ? callParts(answer) : [{ text: '' }];
        frames.push({ content: { role: 'model', parts }, finishReason: finishReason(answer), index: candidate });
      }
      return frames;
    });
    const ordered = interleave(perCandidate);
    return ordered.map((candidate, at) => dataFrame({
      candidates: [candidate],
      usageMetadata: at === ordered.length - 1 ? usageMetadata(answers) : promptOnly,
      ...common,
    }));
  },
  malformedFrame: 'data: {"candidates":[{"content":{"role":"model","parts":[{"text":\n\n',
  streamErrorFrame: dataFrame({ error: { code: 503, message: 'The model is overloaded. Please try again later. (simulated)', status: 'UNAVAILABLE' } }),
  overloadedStatus: 503,
};

/**
 * models.embedContent ({ content }) and models.batchEmbedContents ({ requests: [{ model,
 * content }] }): deterministic unit vectors per text, 3,072 dimensions for gemini-embedding
 * models and 768 for the older text-embedding ones unless outputDimensionality says otherwise.
 */
export function geminiEmbeddings(body: unknown, model: string, batch: boolean): { status: number; body: string } {
  const fail = (message: string) => ({ status: 400, body: geminiWire.error(400, message) });
  if (!isRecord(body)) return fail('Invalid JSON payload received.');
  const requests: unknown[] = batch ? (Array.isArray(body.requests) ? body.requests : []) : [body];
  if (requests.length === 0) return fail('* BatchEmbedContentsRequest.requests: requests is required');
  if (requests.length > 100) return fail('* BatchEmbedContentsRequest.requests: at most 100 requests can be in one batch');
  const vectors: number[][] = [];
  for (const [index, request] of requests.entries()) {
    const content = isRecord(request) && isRecord(request.content) ? request.content : undefined;
    const parts = content && Array.isArray(content.parts) ? content.parts : [];
    const text = parts.map((part) => (isRecord(part) && typeof part.text === 'string' ? part.text : '')).join('');
    if (text.length === 0) return fail(`* BatchEmbedContentsRequest.requests[${index}].content: contents must not be empty`);
    const wanted = isRecord(request) ? request.outputDimensionality : undefined;
    const dimensions = typeof wanted === 'number' && Number.isInteger(wanted) && wanted > 0 && wanted <= 3072 ? wanted : model.includes('gemini-embedding') ? 3072 : 768;
    vectors.push(Array.from(embed(text, dimensions)));
  }
  const payload = batch ? { embeddings: vectors.map((values) => ({ values })) } : { embedding: { values: vectors[0] } };
  return { status: 200, body: JSON.stringify(payload) };
}

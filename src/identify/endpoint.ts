/**
 * The identifier's view of an endpoint: one chat call in the endpoint's own wire format
 * (OpenAI chat completions, Anthropic messages, Gemini generateContent) reduced to what the
 * passes read, with the raw body kept for the passive pass. It is a raw HTTP client on
 * purpose: an adapter would normalise away the id formats, fingerprints and usage fields
 * that are part of the evidence.
 */
export type EndpointFormat = 'openai' | 'anthropic' | 'gemini';

export interface EndpointTarget {
  /** Base URL, with or without a trailing /v1. */
  url: string;
  model: string;
  format: EndpointFormat;
  apiKey?: string;
  timeoutMs?: number;
}

export interface ChatProbe {
  user: string;
  maxTokens: number;
  /** Extra top-level fields (OpenAI format only), e.g. an invalid value for the error probe. */
  extra?: Record<string, unknown>;
  /** Alternative answers in one call (OpenAI `n`, Gemini candidateCount). */
  choices?: number;
}

export interface ChatObservation {
  status: number;
  promptTokens?: number;
  completionTokens?: number;
  texts: string[];
  body: unknown;
  headers: Record<string, string>;
  /** Network failure or unparseable body. */
  failure?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function root(url: string): string {
  return url.replace(/\/+$/, '').replace(/\/v1(beta)?$/, '');
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function request(target: EndpointTarget, probe: ChatProbe): { url: string; headers: Record<string, string>; body: unknown } {
  const base = root(target.url);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  switch (target.format) {
    case 'openai':
      if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`;
      return {
        url: `${base}/v1/chat/completions`,
        headers,
        body: { model: target.model, messages: [{ role: 'user', content: probe.user }], max_tokens: probe.maxTokens, ...(probe.choices && probe.choices > 1 ? { n: probe.choices } : {}), ...probe.extra },
      };
    case 'anthropic':
      if (target.apiKey) headers['x-api-key'] = target.apiKey;
      headers['anthropic-version'] = '2023-06-01';
      return { url: `${base}/v1/messages`, headers, body: { model: target.model, max_tokens: probe.maxTokens, messages: [{ role: 'user', content: probe.user }] } };
    case 'gemini':
      if (target.apiKey) headers['x-goog-api-key'] = target.apiKey;
      return {
        url: `${base}/v1beta/models/${encodeURIComponent(target.model)}:generateContent`,
        headers,
        body: { contents: [{ role: 'user', parts: [{ text: probe.user }] }], generationConfig: { maxOutputTokens: probe.maxTokens, ...(probe.choices && probe.choices > 1 ? { candidateCount: probe.choices } : {}) } },
      };
    default: {
      const unknownFormat: never = target.format;
      throw new Error(`unknown format ${String(unknownFormat)}`);
    }
  }
}

function read(format: EndpointFormat, body: unknown): Pick<ChatObservation, 'promptTokens' | 'completionTokens' | 'texts'> {
  if (!isRecord(body)) return { texts: [] };
  if (format === 'openai') {
    const usage = isRecord(body.usage) ? body.usage : {};
    const choices = Array.isArray(body.choices) ? body.choices : [];
    const texts = choices.map((choice) => (isRecord(choice) && isRecord(choice.message) && typeof choice.message.content === 'string' ? choice.message.content : ''));
    return { promptTokens: num(usage.prompt_tokens), completionTokens: num(usage.completion_tokens), texts };
  }
  if (format === 'anthropic') {
    const usage = isRecord(body.usage) ? body.usage : {};
    const content = Array.isArray(body.content) ? body.content : [];
    const text = content.map((block) => (isRecord(block) && typeof block.text === 'string' ? block.text : '')).join('');
    return { promptTokens: num(usage.input_tokens), completionTokens: num(usage.output_tokens), texts: [text] };
  }
  const usage = isRecord(body.usageMetadata) ? body.usageMetadata : {};
  const candidates = Array.isArray(body.candidates) ? body.candidates : [];
  const texts = candidates.map((candidate) => {
    const parts = isRecord(candidate) && isRecord(candidate.content) && Array.isArray(candidate.content.parts) ? candidate.content.parts : [];
    return parts.map((part) => (isRecord(part) && typeof part.text === 'string' ? part.text : '')).join('');
  });
  return { promptTokens: num(usage.promptTokenCount), completionTokens: num(usage.candidatesTokenCount), texts };
}

/** One chat call; never throws (a failure is an observation too). */
export async function sendChat(target: EndpointTarget, probe: ChatProbe): Promise<ChatObservation> {
  const { url, headers, body } = request(target, probe);
  try {
    const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(target.timeoutMs ?? 60_000) });
    const text = await response.text();
    const responseHeaders: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      responseHeaders[key] = value;
    });
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { status: response.status, texts: [], body: text.slice(0, 2000), headers: responseHeaders, failure: 'the body is not JSON' };
    }
    return { status: response.status, ...(response.ok ? read(target.format, parsed) : { texts: [] }), body: parsed, headers: responseHeaders };
  } catch (error) {
    return { status: 0, texts: [], body: undefined, headers: {}, failure: error instanceof Error ? error.message : String(error) };
  }
}

/** GET the model list (OpenAI and Anthropic: /v1/models; Gemini: /v1beta/models). */
export async function listModels(target: EndpointTarget): Promise<{ status: number; ids: string[]; owners: string[] }> {
  const base = root(target.url);
  const url = target.format === 'gemini' ? `${base}/v1beta/models` : `${base}/v1/models`;
  const headers: Record<string, string> = {};
  if (target.apiKey) {
    if (target.format === 'openai') headers.authorization = `Bearer ${target.apiKey}`;
    else if (target.format === 'anthropic') headers['x-api-key'] = target.apiKey;
    else headers['x-goog-api-key'] = target.apiKey;
  }
  try {
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(target.timeoutMs ?? 30_000) });
    const body: unknown = await response.json().catch(() => undefined);
    const list = isRecord(body) && Array.isArray(body.data) ? body.data : isRecord(body) && Array.isArray(body.models) ? body.models : [];
    const ids = list.map((item) => (isRecord(item) && typeof item.id === 'string' ? item.id : isRecord(item) && typeof item.name === 'string' ? item.name : '')).filter(Boolean);
    const owners = [...new Set(list.map((item) => (isRecord(item) && typeof item.owned_by === 'string' ? item.owned_by : '')).filter(Boolean))];
    return { status: response.status, ids, owners };
  } catch {
    return { status: 0, ids: [], owners: [] };
  }
}

/**
 * The simulator: one plain node:http server speaking the OpenAI, Anthropic and Gemini wire
 * formats for the SIMULATED model slate. Each request is parsed into a format-neutral view,
 * answered once (answer.ts) and rendered back in the caller's format, with latency from the
 * model's profile (scaled; none at latencyScale 0) and faults by config or `x-sim-*` headers.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { computeAnswer, promptTokenCount, type NeutralAnswer } from './answer.js';
import { anthropicWire, parseAnthropic } from './anthropic-wire.js';
import { decideFault, NO_FAULTS, requestOutputTokens, requestSeed, type SimFaults } from './faults.js';
import { geminiEmbeddings, geminiWire, parseGemini } from './gemini-wire.js';
import { embeddings, modelList, openAiWire, parseOpenAi } from './openai-wire.js';
import { hashParts, hexId, SeededRandom } from './random.js';
import { findSimModel, type SimModelProfile } from './slate.js';
import { impersonatedProfile, impersonatedModelList, impersonateAnswers, restyleImpersonated, type ImpersonatedEndpoint } from './impersonate-endpoint.js';
import { completionTokensOf, type ParseResult, type WireFormat } from './wire.js';

export interface SimOptions {
  port?: number;
  host?: string;
  seed?: number;
  /** Multiplies every modelled delay; 0 = no delays at all. */
  latencyScale?: number;
  faults?: Partial<SimFaults>;
  modelFaults?: Record<string, Partial<SimFaults>>;
  /** Also apply each model profile's own error / 429 rates (default: off). */
  profileFaults?: boolean;
  /** Model ids served as impersonated families (real tokenizer counts, template, style, persona). */
  impersonations?: Record<string, ImpersonatedEndpoint>;
}

export interface RunningSimulator {
  url: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY = 32 * 1024 * 1024;

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        resolve(undefined);
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

function formatFor(path: string): WireFormat {
  if (path.startsWith('/v1/messages')) return anthropicWire;
  if (path.startsWith('/v1beta/') || /^\/v1\/models\/[^/]+:/.test(path)) return geminiWire;
  return openAiWire;
}

const GEMINI_PATH = /^\/v1(?:beta|alpha)?\/models\/([^/:]+):(generateContent|streamGenerateContent|countTokens|embedContent|batchEmbedContents)$/;

interface Latency { ttftMs: number; perFrameMs: number }

export async function startSimulator(options: SimOptions = {}): Promise<RunningSimulator> {
  const seed = options.seed ?? 1;
  const latencyScale = Math.max(0, options.latencyScale ?? 0);
  const baseFaults: SimFaults = { ...NO_FAULTS, ...options.faults };
  const counters = new Map<string, number>();
  const sockets = new Set<Socket>();
  let responseCounter = 0;

  function faultsFor(profile: SimModelProfile): SimFaults {
    const merged: SimFaults = { ...baseFaults };
    if (options.profileFaults) {
      merged.errorRate = Math.max(merged.errorRate, profile.errorRate);
      merged.rateLimitRate = Math.max(merged.rateLimitRate, profile.rateLimitRate);
    }
    return { ...merged, ...options.modelFaults?.[profile.id] };
  }

  function latency(profile: SimModelProfile, generated: Pick<NeutralAnswer, 'completionTokens'>, frames: number, counter: number): Latency {
    if (latencyScale === 0) return { ttftMs: 0, perFrameMs: 0 };
    const rng = new SeededRandom(hashParts('latency', seed, profile.id, counter));
    const sigma = Math.log(profile.ttftMs.p99 / profile.ttftMs.median) / 2.326;
    const ttft = Math.min(profile.ttftMs.p99, profile.ttftMs.median * Math.exp(sigma * rng.normal()));
    const tps = Math.max(profile.tokensPerSecond.min, profile.tokensPerSecond.median * Math.exp(-0.25 * Math.abs(rng.normal())));
    const generationMs = (generated.completionTokens / tps) * 1000;
    return { ttftMs: ttft * latencyScale, perFrameMs: (generationMs * latencyScale) / Math.max(1, frames) };
  }

  async function generate(req: IncomingMessage, res: ServerResponse, wire: WireFormat, parsed: ParseResult): Promise<void> {
    if (!parsed.ok) return send(res, parsed.status, wire.error(parsed.status, parsed.message));
    const request = parsed.request;
    const impersonation = options.impersonations?.[request.model];
    const profile = impersonation ? impersonatedProfile(request.model) : findSimModel(request.model);
    if (!profile) return send(res, 404, wire.error(404, `The model '${request.model}' does not exist (this simulator serves: sim-frontier, sim-swift, sim-coder-open, sim-local-small).`));
    const counter = counters.get(profile.id) ?? 0;
    counters.set(profile.id, counter + 1);
    const fault = decideFault(req.headers, faultsFor(profile), seed, profile.id, counter);
    if (fault.kind === 'hang') return;
    if (fault.kind === '429') {
      return send(res, 429, wire.error(429, 'Rate limit exceeded (simulated). Please retry after 1 second.'), { 'retry-after': '1', 'retry-after-ms': '1000' });
    }
    if (fault.kind === 'error') return send(res, 500, wire.error(500, 'Internal server error (simulated).'));
    if (fault.kind === 'stream-error' && !request.stream) return send(res, wire.overloadedStatus, wire.error(wire.overloadedStatus, 'Overloaded (simulated).'));
    const outputTokens = requestOutputTokens(req.headers);
    if (outputTokens !== undefined) request.outputTokens = outputTokens;
    const extraSeed = requestSeed(req.headers);
    const answerSeed = extraSeed === undefined ? seed : hashParts(seed, extraSeed);
    // The first choice is the answer a single-choice request gets; each further one is drawn on its own.
    let answers = Array.from({ length: request.choices }, (_, choice) => computeAnswer(request, profile, choice === 0 ? answerSeed : hashParts(answerSeed, 'choice', choice)));
    if (impersonation) answers = impersonateAnswers({ impersonation, request, answers, seed: answerSeed, counter });
    const generated = { completionTokens: completionTokensOf(answers) };
    const id = wire.name === 'anthropic' ? `msg_sim${hexId(21, seed, counter, responseCounter)}` : wire.name === 'gemini' ? hexId(22, seed, counter, responseCounter) : `chatcmpl-sim${hexId(24, seed, counter, responseCounter)}`;
    responseCounter++;
    const ctx = { id, model: profile.id, created: Math.floor(Date.now() / 1000), includeUsage: parsed.includeUsage };
    const spike = fault.kind === 'spike' ? fault.spikeMs : 0;
    const requestIdHeader: Record<string, string> = wire.name === 'anthropic' ? { 'request-id': `req_${id}` } : { 'x-request-id': id };

    if (!request.stream) {
      const timing = latency(profile, generated, 1, counter);
      await sleep(timing.ttftMs + timing.perFrameMs + spike);
      if (fault.kind === 'malformed') return send(res, 200, '{"id":"broken","choices":[{"message":', requestIdHeader);
      const body = impersonation && wire.name === 'openai' ? restyleImpersonated(impersonation, request.model, wire.json(answers, ctx), seed, counter) : wire.json(answers, ctx);
      if (fault.kind === 'cut') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...requestIdHeader });
        res.write(body.slice(0, Math.floor(body.length / 2)));
        res.socket?.destroy();
        return;
      }
      return send(res, 200, body, requestIdHeader);
    }

    const frames = wire.stream(answers, ctx);
    const timing = latency(profile, generated, frames.length, counter);
    await sleep(timing.ttftMs + spike);
    if (res.destroyed) return;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', ...requestIdHeader });
    const cutAt = fault.kind === 'cut' ? Math.max(1, Math.floor(frames.length / 2)) : -1;
    const malformedAt = fault.kind === 'malformed' ? Math.max(1, Math.floor(frames.length / 2)) : -1;
    const errorAt = fault.kind === 'stream-error' ? Math.max(1, Math.floor(frames.length / 2)) : -1;
    for (let i = 0; i < frames.length; i++) {
      if (res.destroyed) return;
      if (i === cutAt) {
        res.socket?.destroy();
        return;
      }
      if (i === malformedAt || i === errorAt) {
        res.write(i === errorAt ? wire.streamErrorFrame : wire.malformedFrame);
        res.end();
        return;
      }
      res.write(frames[i]);
      if (timing.perFrameMs > 0 && i < frames.length - 1) await sleep(timing.perFrameMs);
    }
    res.end();
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const path = queryAt >= 0 ? url.slice(0, queryAt) : url;
    const wire = formatFor(path);
    const method = req.method ?? 'GET';

    if (method === 'GET') {
      if (path === '/healthz' || path === '/') return send(res, 200, JSON.stringify({ ok: true, simulated: true }));
      if (path === '/v1/models') return send(res, 200, options.impersonations ? impersonatedModelList(options.impersonations) : modelList());
      const modelMatch = /^\/v1\/models\/([^/]+)$/.exec(path);
      if (modelMatch) {
        const profile = findSimModel(decodeURIComponent(modelMatch[1] ?? ''));
        if (!profile) return send(res, 404, openAiWire.error(404, 'The model does not exist.'));
        return send(res, 200, JSON.stringify({ id: profile.id, object: 'model', created: 1_700_000_000, owned_by: profile.vendor }));
      }
      return send(res, 404, wire.error(404, `No route for GET ${path}.`));
    }
    if (method !== 'POST') return send(res, 405, wire.error(405, `Method ${method} is not allowed.`));

    const raw = await readBody(req);
    if (raw === undefined) return send(res, 413, wire.error(413, 'The request body is too large.'));
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return send(res, 400, wire.error(400, 'The request body is not valid JSON.'));
    }

    if (path === '/v1/chat/completions') return generate(req, res, openAiWire, parseOpenAi(body));
    if (path === '/v1/messages') return generate(req, res, anthropicWire, parseAnthropic(body));
    if (path === '/v1/embeddings') {
      const result = embeddings(body);
      return send(res, result.status, result.body);
    }
    if (path === '/v1/messages/count_tokens') {
      const parsed = parseAnthropic(body);
      if (!parsed.ok) return send(res, parsed.status, anthropicWire.error(parsed.status, parsed.message));
      return send(res, 200, JSON.stringify({ input_tokens: promptTokenCount(parsed.request) }));
    }
    const gemini = GEMINI_PATH.exec(path);
    if (gemini) {
      let model = decodeURIComponent(gemini[1] ?? '');
      if (model.startsWith('models/')) model = model.slice('models/'.length);
      const action = gemini[2];
      if (action === 'embedContent' || action === 'batchEmbedContents') {
        const result = geminiEmbeddings(body, model, action === 'batchEmbedContents');
        return send(res, result.status, result.body);
      }
      const parsed = parseGemini(body, model, action === 'streamGenerateContent');
      if (action === 'countTokens') {
        if (!parsed.ok) return send(res, parsed.status, geminiWire.error(parsed.status, parsed.message));
        return send(res, 200, JSON.stringify({ totalTokens: promptTokenCount(parsed.request) }));
      }
      return generate(req, res, geminiWire, parsed);
    }
    return send(res, 404, wire.error(404, `No route for POST ${path}.`));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, formatFor(req.url ?? '/').error(500, 'The simulator failed on this request.'));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
    }),
  };
}

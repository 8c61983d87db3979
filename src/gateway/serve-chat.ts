/**
 * The one chat path behind every entrance (chat completions, Anthropic messages, OpenAI
 * responses): decode the wire body into the canonical request, resolve the model or route,
 * let the controls admit it, execute through the runtime (router, retries, fallbacks),
 * answer through the entrance's encoder as JSON or SSE, then settle budgets and write the
 * audit record.
 */
import type { ChatRequest } from '../core/chat-request.js';
import type { ChatChunk, ChatResponse, Usage } from '../core/chat-response.js';
import type { NanoUsd } from '../core/money.js';
import { nanoToUsd } from '../core/money.js';
import type { GatewayContext } from './context.js';
import type { ExecutionMeta, ResolvedTarget, Runtime } from '../runtime/types.js';
import { readJsonBody } from './read-body.js';
import { sendJsonText } from './send-json.js';
import { SseWriter } from './sse-writer.js';
import { toArbiterError } from './error-response.js';
import { ChunkAssembler } from '../core/chunk-assembler.js';
import { forgetWireText } from '../core/wire-text.js';
import { RawChunks } from '../core/stream-item.js';
import type { ChatAdmission, ChatControls, ChatOutcome } from './chat-controls.js';
import type { ChatEncoder, ChatEntrance, DecodedChat } from './chat-entrance.js';

export interface ChatRouteDeps {
  runtime: Runtime;
  bodyLimitBytes: number;
  controls: ChatControls;
}

export async function serveChat(ctx: GatewayContext, deps: ChatRouteDeps, entrance: ChatEntrance): Promise<void> {
  let request: ChatRequest | undefined;
  let decoded: DecodedChat;
  let target: ResolvedTarget;
  try {
    const body = await readJsonBody(ctx.req, deps.bodyLimitBytes);
    const decoding = entrance.decode(body, ctx);
    // Chat completions decode synchronously: no extra promise step on the hot path.
    decoded = decoding instanceof Promise ? await decoding : decoding;
    request = decoded.request;
    target = deps.runtime.resolve(request, {
      routeHeader: headerValue(ctx, 'x-arbiter-route'),
      keyRoute: ctx.vars.keyRoute,
      requestId: ctx.requestId,
    });
    decoded.checkTarget?.(target);
  } catch (error) {
    deps.controls.refuse(ctx, error, request?.model);
    throw error;
  }
  if (target.routeName) ctx.responseHeaders['x-arbiter-route'] = target.routeName;
  ctx.responseHeaders['x-arbiter-reason'] = target.reason;

  const encoder = decoded.encoder;
  const admission = await deps.controls.admit(ctx, request, target);
  const outcome = new RequestOutcome(Boolean(request.stream));
  try {
    if (admission.cachedResponse) {
      outcome.cacheHit = true;
      outcome.response = admission.cachedResponse;
      outcome.costNano = 0;
      ctx.responseHeaders['x-arbiter-cache'] = 'hit';
      if (request.stream) await replayAsStream(ctx, admission.cachedResponse, encoder);
      else await sendResponse(ctx, encoder, admission.cachedResponse, null);
      return;
    }
    if (request.stream) await streamChat(ctx, deps, target, admission, outcome, encoder);
    else await completeChat(ctx, deps, target, admission, outcome, encoder);
  } catch (error) {
    const arbiterError = toArbiterError(error, ctx.requestId);
    outcome.status = arbiterError.status;
    outcome.errorCode = arbiterError.code;
    throw arbiterError;
  } finally {
    admission.finish(outcome);
  }
}

/** The simulator's fault-injection headers ride along; the runtime forwards them to simulated deployments only. */
function simulatorHeaders(ctx: GatewayContext, extra: Record<string, string> | undefined): Record<string, string> | undefined {
  let headers = extra;
  const incoming = ctx.req.headers;
  // for-in rather than Object.entries: no array of pairs per request for headers that are rarely there.
  for (const name in incoming) {
    const value = incoming[name];
    if (name.startsWith('x-sim-') && typeof value === 'string') headers = { ...headers, [name]: value };
  }
  return headers;
}

function headerValue(ctx: GatewayContext, name: string): string | undefined {
  const value = ctx.req.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * `costNano` undefined: a stream, whose cost is known only after its headers went out (it
 * is in the usage chunk). The header is left unset rather than deleted: a deleted key turns
 * the header object into a slow dictionary for every later access.
 */
function setDecisionHeaders(ctx: GatewayContext, deployment: { name: string; model: string; simulated?: boolean }, costNano: NanoUsd | null | undefined): void {
  ctx.responseHeaders['x-arbiter-model'] = deployment.model;
  ctx.responseHeaders['x-arbiter-deployment'] = deployment.name;
  if (costNano !== undefined) ctx.responseHeaders['x-arbiter-cost-usd'] = costNano === null ? 'unpriced' : nanoToUsd(costNano).toFixed(9);
  if (deployment.simulated) ctx.responseHeaders['x-arbiter-simulated'] = 'true';
}

function setAttemptHeaders(ctx: GatewayContext, retries: number, fallbacks: number): void {
  ctx.responseHeaders['x-arbiter-retries'] = String(retries);
  ctx.responseHeaders['x-arbiter-fallbacks'] = String(fallbacks);
}

function noteExecution(outcome: ChatOutcome, execution: ExecutionMeta): void {
  outcome.deployment = execution.deployment;
  outcome.attempts = execution.attempts;
  outcome.retries = execution.retries;
  outcome.fallbacks = execution.fallbacks;
}

async function sendResponse(ctx: GatewayContext, encoder: ChatEncoder, response: ChatResponse, costNano: NanoUsd | null): Promise<void> {
  const encoded = encoder.responseText(response, costNano);
  sendJsonText(ctx, 200, typeof encoded === 'string' ? encoded : await encoded);
}

async function completeChat(ctx: GatewayContext, deps: ChatRouteDeps, target: ResolvedTarget, admission: ChatAdmission, outcome: ChatOutcome, encoder: ChatEncoder): Promise<void> {
  const result = await deps.runtime.executeChat(target, admission.request, { signal: ctx.signal, requestId: ctx.requestId, headers: simulatorHeaders(ctx, admission.upstreamHeaders) });
  noteExecution(outcome, result);
  outcome.costNano = result.costNano;
  const response: ChatResponse = admission.enforceResponse(result.response);
  outcome.response = response;
  setDecisionHeaders(ctx, result.deployment, result.costNano);
  setAttemptHeaders(ctx, result.retries, result.fallbacks);
  await sendResponse(ctx, encoder, response, result.costNano);
}

async function streamChat(ctx: GatewayContext, deps: ChatRouteDeps, target: ResolvedTarget, admission: ChatAdmission, outcome: RequestOutcome, encoder: ChatEncoder): Promise<void> {
  const request = admission.request;
  // Fails here (before any byte) when every candidate failed: the error goes out as JSON.
  const execution = await deps.runtime.executeStream(target, request, { signal: ctx.signal, requestId: ctx.requestId, headers: simulatorHeaders(ctx, admission.upstreamHeaders) });
  noteExecution(outcome, execution);
  setDecisionHeaders(ctx, execution.deployment, undefined);
  setAttemptHeaders(ctx, execution.retries, execution.fallbacks);
  const writer = new SseWriter(ctx.res, ctx.responseHeaders);
  const events = encoder.openStream(writer);
  const assembler = new ChunkAssembler();
  // Untouched by the controls, a chunk the adapter passed through unchanged leaves as the
  // upstream encoded it; anything rebuilt on the way is serialized anew.
  const enforced = admission.enforceStream(execution.chunks);
  const untouched = enforced === execution.chunks;
  try {
    for await (const item of enforced) {
      if (outcome.firstTokenMs === undefined) outcome.firstTokenMs = Date.now() - ctx.startedAt;
      // Unparsed chunks carry no usage, error or tool call: their own text goes out.
      if (!(item instanceof RawChunks) && item.usage) {
        const usage = item.usage;
        const costNano = deps.runtime.costOf(execution.deployment, usage);
        outcome.costNano = costNano;
        outcome.usage = usage;
        // Some upstreams put usage on the last content chunk: its choices belong to the response.
        if (item.choices.length > 0) assembler.add(item);
        // Changed in place, not copied: a spread copy with one more member built a new hidden
        // class on every stream. The changed chunk's upstream text is dropped: it is encoded anew.
        forgetWireText(item);
        const backpressure = events.usage(item, costNano);
        if (backpressure) await backpressure;
        continue;
      }
      assembler.add(item);
      const backpressure = events.write(item, untouched);
      if (backpressure) await backpressure;
      if (ctx.signal.aborted) return;
    }
    outcome.assembleLater(assembler);
    const ended = events.end();
    if (ended) await ended;
  } catch (error) {
    const arbiterError = toArbiterError(error, ctx.requestId);
    outcome.status = arbiterError.status;
    outcome.errorCode = arbiterError.code;
    if (ctx.signal.aborted) return;
    events.fail(arbiterError);
  }
}

/**
 * What the controls learn of a finished request. A stream's whole response is rebuilt only
 * if something reads it (the audit's stored bodies, the cache, a tool-call limit): rebuilding
 * parses every chunk that went out unparsed, and a stream whose chunks turn out not to parse
 * has no response to keep. A class with the accessor on its prototype: defining it on each
 * outcome object (Object.defineProperty) made V8 keep every streamed request's objects alive
 * through young-generation collections (see RequestContext in gateway/server.ts).
 */
class RequestOutcome implements ChatOutcome {
  status = 200;
  errorCode?: string;
  deployment?: ChatOutcome['deployment'];
  attempts: ChatOutcome['attempts'] = [];
  retries = 0;
  fallbacks = 0;
  usage?: Usage;
  costNano?: NanoUsd | null;
  firstTokenMs?: number;
  cacheHit?: boolean;
  private known: ChatResponse | undefined;
  private assembler: ChunkAssembler | undefined;

  constructor(readonly streamed: boolean) {}

  get response(): ChatResponse | undefined {
    const assembler = this.assembler;
    if (assembler) {
      this.assembler = undefined;
      try {
        this.known = assembler.toResponse(this.usage);
      } catch {
        this.known = undefined;
      }
    }
    return this.known;
  }

  set response(value: ChatResponse | undefined) {
    this.known = value;
    this.assembler = undefined;
  }

  /** The stream ended whole: its response can be rebuilt from what went out. */
  assembleLater(assembler: ChunkAssembler): void {
    this.assembler = assembler;
  }
}

/** The chunks a stream of `response` would have been: a cached answer replays as one so cached and live answers look alike. */
export function responseAsChunks(response: ChatResponse): { content: ChatChunk[]; usage?: ChatChunk } {
  const base = { id: response.id, object: 'chat.completion.chunk' as const, created: response.created, model: response.model };
  const content: ChatChunk[] = [];
  for (const choice of response.choices) {
    const message = choice.message;
    content.push({ ...base, choices: [{ index: choice.index, delta: {
      role: 'assistant',
      content: message.content ?? '',
      ...(message.reasoning_content ? { reasoning_content: message.reasoning_content } : {}),
      ...(message.tool_calls ? { tool_calls: message.tool_calls.map((call, index) => ({ index, ...call })) } : {}),
    }, finish_reason: null }] });
    content.push({ ...base, choices: [{ index: choice.index, delta: {}, finish_reason: choice.finish_reason }] });
  }
  return { content, ...(response.usage ? { usage: { ...base, choices: [], usage: response.usage } } : {}) };
}

async function replayAsStream(ctx: GatewayContext, response: ChatResponse, encoder: ChatEncoder): Promise<void> {
  const events = encoder.openStream(new SseWriter(ctx.res, ctx.responseHeaders));
  const { content, usage } = responseAsChunks(response);
  for (const chunk of content) await events.write(chunk, false);
  if (usage) await events.usage(usage, null);
  await events.end();
}

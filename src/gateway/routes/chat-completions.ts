/**
 * POST /v1/chat/completions: validate, resolve the model or route, let the controls admit
 * the request, execute through the runtime (router, retries, fallbacks), answer as JSON or
 * SSE, then settle budgets and write the audit record.
 */
import type { ChatRequest } from '../../core/chat-request.js';
import { parseChatRequest } from '../../core/chat-request.js';
import type { ChatResponse, Usage } from '../../core/chat-response.js';
import { nanoToUsd, type NanoUsd } from '../../core/money.js';
import type { GatewayContext, Handler } from '../context.js';
import type { ExecutionMeta, ResolvedTarget, Runtime } from '../../runtime/types.js';
import { readJsonBody } from '../read-body.js';
import { sendJson, sendJsonText } from '../send-json.js';
import { SseWriter } from '../sse-writer.js';
import { toArbiterError } from '../error-response.js';
import { ChunkAssembler } from '../../core/chunk-assembler.js';
import { forgetWireText, rememberWireText, wireTextOf } from '../../core/wire-text.js';
import { appendToMemberObject } from '../../core/json-member.js';
import { RawChunks, StreamFailure } from '../../core/stream-item.js';
import type { ChatAdmission, ChatControls, ChatOutcome } from '../chat-controls.js';

export interface ChatRouteDeps {
  runtime: Runtime;
  bodyLimitBytes: number;
  controls: ChatControls;
}

export function chatCompletionsHandler(deps: ChatRouteDeps): Handler {
  return async function chatCompletions(ctx) {
    let request: ChatRequest | undefined;
    let target: ResolvedTarget;
    try {
      request = parseChatRequest(await readJsonBody(ctx.req, deps.bodyLimitBytes));
      target = deps.runtime.resolve(request, {
        routeHeader: headerValue(ctx, 'x-arbiter-route'),
        keyRoute: ctx.vars.keyRoute,
        requestId: ctx.requestId,
      });
    } catch (error) {
      deps.controls.refuse(ctx, error, request?.model);
      throw error;
    }
    if (target.routeName) ctx.responseHeaders['x-arbiter-route'] = target.routeName;
    ctx.responseHeaders['x-arbiter-reason'] = target.reason;

    const admission = await deps.controls.admit(ctx, request, target);
    const outcome = new RequestOutcome(Boolean(request.stream));
    try {
      if (admission.cachedResponse) {
        outcome.cacheHit = true;
        outcome.response = admission.cachedResponse;
        outcome.costNano = 0;
        ctx.responseHeaders['x-arbiter-cache'] = 'hit';
        if (request.stream) await replayAsStream(ctx, admission.cachedResponse, request);
        else sendJson(ctx, 200, admission.cachedResponse);
        return;
      }
      if (request.stream) await streamChat(ctx, deps, target, admission, outcome);
      else await completeChat(ctx, deps, target, admission, outcome);
    } catch (error) {
      const arbiterError = toArbiterError(error, ctx.requestId);
      outcome.status = arbiterError.status;
      outcome.errorCode = arbiterError.code;
      throw arbiterError;
    } finally {
      admission.finish(outcome);
    }
  };
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

async function completeChat(ctx: GatewayContext, deps: ChatRouteDeps, target: ResolvedTarget, admission: ChatAdmission, outcome: ChatOutcome): Promise<void> {
  const result = await deps.runtime.executeChat(target, admission.request, { signal: ctx.signal, requestId: ctx.requestId, headers: simulatorHeaders(ctx, admission.upstreamHeaders) });
  noteExecution(outcome, result);
  outcome.costNano = result.costNano;
  const response: ChatResponse = admission.enforceResponse(result.response);
  const text = responseText(response, result.costNano);
  outcome.response = response;
  setDecisionHeaders(ctx, result.deployment, result.costNano);
  setAttemptHeaders(ctx, result.retries, result.fallbacks);
  sendJsonText(ctx, 200, text);
}

/**
 * The response as it leaves, its cost in `usage.cost_usd`. One that nothing changed since the
 * upstream sent it leaves as the upstream's own text with that member added: encoding the
 * parsed object again was ~5 µs a request in an on-CPU profile at saturation. The cost is
 * set on the object itself, not on a copy (the cache and the audit keep what the client got):
 * a spread copy with one more member built a new hidden class on every request.
 */
function responseText(response: ChatResponse, costNano: NanoUsd | null): string {
  const usage = response.usage;
  const wire = wireTextOf(response);
  // A usage that is not an object (a broken upstream) gets no cost, as a copy would not have.
  if (!usage || typeof usage !== 'object' || costNano === null) return wire ?? JSON.stringify(response);
  const upstreamSentCost = usage.cost_usd !== undefined;
  const costUsd = nanoToUsd(costNano);
  usage.cost_usd = costUsd;
  if (wire === undefined) return JSON.stringify(response);
  const text = (!upstreamSentCost && appendToMemberObject(wire, 'usage', `"cost_usd":${JSON.stringify(costUsd)}`)) || JSON.stringify(response);
  // The text kept on the object stays the one that matches it.
  rememberWireText(response, text);
  return text;
}

async function streamChat(ctx: GatewayContext, deps: ChatRouteDeps, target: ResolvedTarget, admission: ChatAdmission, outcome: RequestOutcome): Promise<void> {
  const request = admission.request;
  const wantsUsage = request.stream_options?.include_usage === true;
  // Fails here (before any byte) when every candidate failed: the error goes out as JSON.
  const execution = await deps.runtime.executeStream(target, request, { signal: ctx.signal, requestId: ctx.requestId, headers: simulatorHeaders(ctx, admission.upstreamHeaders) });
  noteExecution(outcome, execution);
  setDecisionHeaders(ctx, execution.deployment, undefined);
  setAttemptHeaders(ctx, execution.retries, execution.fallbacks);
  const writer = new SseWriter(ctx.res, ctx.responseHeaders);
  const assembler = new ChunkAssembler();
  // Untouched by the controls, a chunk the adapter passed through unchanged leaves as the
  // upstream encoded it; anything rebuilt on the way is serialized anew.
  const enforced = admission.enforceStream(execution.chunks);
  const untouched = enforced === execution.chunks;
  try {
    for await (const item of enforced) {
      if (item instanceof StreamFailure) {
        // Broken after bytes went out: billed as far as it went, reported in-band below (no [DONE]).
        outcome.usage = item.billed;
        outcome.costNano = deps.runtime.costOf(execution.deployment, item.billed);
        throw item.error;
      }
      if (outcome.firstTokenMs === undefined) outcome.firstTokenMs = Date.now() - ctx.startedAt;
      // Unparsed chunks carry no usage, error or tool call: their own text goes out.
      const raw = item instanceof RawChunks;
      if (!raw && item.usage) {
        const usage = item.usage;
        const costNano = deps.runtime.costOf(execution.deployment, usage);
        outcome.costNano = costNano;
        outcome.usage = usage;
        // Some upstreams put usage on the last content chunk: its choices belong to the response.
        if (item.choices.length > 0) assembler.add(item);
        // Changed in place, not copied: a spread copy with one more member built a new hidden
        // class on every stream. The changed chunk's upstream text is dropped: it is encoded anew.
        forgetWireText(item);
        if (wantsUsage) {
          if (costNano !== null && typeof usage === 'object') usage.cost_usd = nanoToUsd(costNano);
          await writer.send(item);
        } else if (item.choices.length > 0) {
          item.usage = undefined;
          await writer.send(item);
        }
        continue;
      }
      assembler.add(item);
      const backpressure = raw ? writer.sendFramed(item.framed()) : writer.send(item, untouched ? wireTextOf(item) : undefined);
      if (backpressure) await backpressure;
      if (ctx.signal.aborted) return;
    }
    outcome.assembleLater(assembler);
    writer.end();
  } catch (error) {
    const arbiterError = toArbiterError(error, ctx.requestId);
    outcome.status = arbiterError.status;
    outcome.errorCode = arbiterError.code;
    if (ctx.signal.aborted) return;
    writer.fail(arbiterError);
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

/** Replays a cached response as a stream so cached and live answers look alike to clients. */
async function replayAsStream(ctx: GatewayContext, response: ChatResponse, request: ChatRequest): Promise<void> {
  const writer = new SseWriter(ctx.res, ctx.responseHeaders);
  for (const choice of response.choices) {
    const base = { id: response.id, object: 'chat.completion.chunk' as const, created: response.created, model: response.model };
    await writer.send({ ...base, choices: [{ index: choice.index, delta: { role: 'assistant', content: choice.message.content ?? '', ...(choice.message.tool_calls ? { tool_calls: choice.message.tool_calls.map((call, index) => ({ index, ...call })) } : {}) }, finish_reason: null }] });
    await writer.send({ ...base, choices: [{ index: choice.index, delta: {}, finish_reason: choice.finish_reason }] });
  }
  // Once for the whole response, after every choice, as a live stream sends it.
  if (request.stream_options?.include_usage && response.usage) await writer.send({ id: response.id, object: 'chat.completion.chunk', created: response.created, model: response.model, choices: [], usage: response.usage });
  writer.end();
}

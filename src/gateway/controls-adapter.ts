/**
 * Wires the controls (keys, budgets, rate limits, cache, tool permissions, audit, metrics)
 * into the gateway's ChatControls interface and the auth middleware.
 */
import type { Logger } from 'pino';
import type { ChatRequest } from '../core/chat-request.js';
import { requestedMaxTokens } from '../core/chat-request.js';
import { reasoningBudgetTokens } from '../core/reasoning-budget.js';
import type { ChatResponse } from '../core/chat-response.js';
import type { Deployment } from '../core/provider.js';
import { ArbiterError } from '../core/errors.js';
import { nanoToUsd } from '../core/money.js';
import type { ArbiterConfig } from '../config/schema.js';
import type { Env } from '../config/interpolate.js';
import type { Store } from '../store/database.js';
import { AuditWriter } from '../controls/audit.js';
import { AuditFeed } from '../controls/audit-feed.js';
import { MemoryBudgetLedger, type BudgetLedger, type SettleLine } from '../controls/budget.js';
import { budgetMessage, budgetWarnings, firstUsdBudget, keyBudgetOwner, planReservations, routeBudgetOwner, type BudgetOwner, type Reservation } from '../controls/budget-plan.js';
import { ResponseCache, cacheApplies, cacheKey, canonicalJson, sha256 } from '../controls/cache.js';
import { KeyService, type VirtualKey } from '../controls/keys.js';
import { MemoryRateLimiter, type RateLimiter } from '../controls/rate-limit.js';
import { redact } from '../controls/redact.js';
import { RedisBudgetLedger, RedisRateLimiter, createRedis } from '../controls/redis.js';
import { describeBudget } from '../controls/specs.js';
import { enforceToolCalls, enforceToolStream, stripTools } from '../controls/tools.js';
import { createMetrics, type GatewayMetrics } from '../telemetry/metrics.js';
import { logger as defaultLogger } from '../telemetry/logger.js';
import type { ResolvedTarget, Runtime } from '../runtime/types.js';
import type { ChatAdmission, ChatControls, ChatOutcome } from './chat-controls.js';
import type { GatewayContext, Middleware } from './context.js';
import { authMiddleware } from './middleware/auth.js';
import { toArbiterError } from './error-response.js';

export interface ControlsOptions {
  store: Store;
  runtime: Pick<Runtime, 'estimatePromptTokens' | 'estimateEmbeddingTokens' | 'costOf'>;
  config: ArbiterConfig;
  env: Env;
  redisUrl?: string;
  logger?: Logger;
  now?: () => number;
  /** Default output cap assumed for the worst case when the request sets none. */
  defaultMaxTokens?: number;
  cacheEntries?: number;
}

export interface Controls {
  chatControls: ChatControls;
  authMiddleware: Middleware;
  keysConfigured(): boolean;
  renderMetrics(): Promise<{ contentType: string; body: string }>;
  keys: KeyService;
  metrics: GatewayMetrics;
  /** Committed audit batches (the dashboard's live log). */
  auditFeed: AuditFeed;
  /** A budget scope's current use in the ledger (the dashboard's budgets). */
  budgetUsage(scope: string): Promise<number>;
  close(): Promise<void>;
}

/** What one audit row is written from. */
interface AuditEntry {
  /**
   * The model asked for and what the prompt hash covers (chat messages, embedding input);
   * a request refused before routing has no content.
   */
  prompt?: { model: string; content?: unknown };
  target?: ResolvedTarget;
  outcome: ChatOutcome;
  blocked: string[];
  key?: VirtualKey;
  /** Why this deployment, when no router decision says it. */
  reason?: string;
}

function chatPrompt(request: ChatRequest): AuditEntry['prompt'] {
  return { model: request.model, content: request.messages };
}

function header(ctx: GatewayContext, name: string): string | undefined {
  const value = ctx.req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** Budgets that apply: the key's and, on a route, the route's (with or without a key). */
function budgetOwners(key: VirtualKey | undefined, target: ResolvedTarget): BudgetOwner[] {
  const owners: BudgetOwner[] = [];
  if (key && key.budgets.length > 0) owners.push(keyBudgetOwner(key));
  const routeBudgets = target.route?.budgets;
  if (target.routeName && routeBudgets && routeBudgets.length > 0) owners.push(routeBudgetOwner(target.routeName, routeBudgets));
  return owners;
}

/** A routed request's excluded candidates for its audit row; none is null, not `[]`. */
function excludedJson(target: ResolvedTarget | undefined): string | null {
  const excluded = target?.routeName ? target.excluded : undefined;
  return excluded && excluded.length > 0 ? JSON.stringify(excluded.slice(0, 50)) : null;
}

export async function createControls(options: ControlsOptions): Promise<Controls> {
  const log = options.logger ?? defaultLogger;
  const now = options.now ?? Date.now;
  const defaultMaxTokens = options.defaultMaxTokens ?? 4096;
  // Revocations and rotations made by the CLI (or another gateway) take effect within 5 s.
  const keys = new KeyService(options.store, { now, refreshMs: 5_000 });
  await keys.load();
  const metrics = createMetrics({ defaultMetrics: true });
  const auditFeed = new AuditFeed();
  const audit = new AuditWriter(options.store, { feed: auditFeed, onError: (error, rows) => log.error({ err: error, rows }, 'audit write failed') });
  const cache = new ResponseCache(options.cacheEntries ?? 10_000, now);

  const redisUrl = options.redisUrl ?? options.config.storage.redisUrl;
  const redis = redisUrl ? createRedis(redisUrl) : undefined;
  let ledger: BudgetLedger;
  let limiter: RateLimiter;
  if (redis) {
    ledger = new RedisBudgetLedger(redis);
    limiter = new RedisRateLimiter(redis, 'arbiter:rate:', 60_000, now);
  } else {
    const memory = new MemoryBudgetLedger({ store: options.store, persistMs: 5_000 });
    await memory.load();
    ledger = memory;
    limiter = new MemoryRateLimiter(60_000, now);
  }
  const warned = new Set<string>();

  async function checkRate(key: VirtualKey, kind: 'rpm' | 'tpm' | 'tool_calls', limit: number | null, cost: number): Promise<void> {
    if (limit === null) return;
    const decision = await limiter.consume(`${key.id}:${kind}`, limit, cost);
    if (decision.allowed) return;
    metrics.rateLimitRejections.inc({ limit: kind });
    const what = kind === 'rpm' ? `${limit} requests/minute` : kind === 'tpm' ? `${limit} tokens/minute` : `${limit} tool calls/minute`;
    throw new ArbiterError('rate_limit_exceeded', `key '${key.name}' rate limit ${what} reached; retry in ${Math.ceil(decision.retryAfterMs / 1000)}s`, { retryAfterMs: decision.retryAfterMs });
  }

  /**
   * A fallback may land on a pricier deployment than the first: the reservation covers the
   * dearest priced one in the chain. A dollar budget cannot be kept on a chain with no price.
   */
  function worstCaseOverChain(owners: readonly BudgetOwner[], chain: readonly Deployment[], promptTokens: number, maxTokens: number): number {
    let worst: number | null = null;
    // Every prompt token at the full input price and the whole output cap: the runtime's own
    // prices (simulated profiles included), no cache discount assumed.
    const usage = { prompt_tokens: promptTokens, completion_tokens: maxTokens, total_tokens: promptTokens + maxTokens };
    for (const candidate of chain) {
      const cost = options.runtime.costOf(candidate, usage);
      if (cost !== null && (worst === null || cost > worst)) worst = cost;
    }
    const usd = worst === null && chain.length > 0 ? firstUsdBudget(owners) : undefined;
    if (usd) {
      throw new ArbiterError('budget_exceeded', `${usd.owner.label} budget ${describeBudget(usd.spec)} cannot be kept: ${chain.map((d) => d.name).join(', ')} ${chain.length === 1 ? 'has' : 'have'} no price, so the request's cost would be unknown`);
    }
    return worst ?? 0;
  }

  /** Reserves the worst case on every budget that applies, or refuses (429) naming the first that cannot take it. */
  async function reserveBudgets(ctx: GatewayContext, owners: BudgetOwner[], worstCostNano: number, worstTokens: number, key: VirtualKey | undefined, routeName: string | undefined): Promise<Reservation[]> {
    const reservations = planReservations({ owners, at: now(), worstCostNano, worstTokens });
    const result = await ledger.reserve(reservations.map((r) => r.line));
    if (!result.ok) {
      const index = result.failedIndex ?? 0;
      const failed = reservations[index];
      metrics.budgetRejections.inc({ scope: failed?.owner.scope ?? 'key' });
      const message = failed ? budgetMessage(failed, result.used[index] ?? 0) : 'budget exhausted';
      log.warn({ keyId: key?.id, keyName: key?.name, route: routeName, requestId: ctx.requestId }, message);
      throw new ArbiterError('budget_exceeded', message);
    }
    const warnings = budgetWarnings(reservations, result.used);
    for (const warning of warnings) {
      const scope = warning.reservation.line.scope;
      if (warned.has(scope)) continue;
      warned.add(scope);
      log.warn({ keyId: key?.id, keyName: key?.name, route: routeName, scope }, warning.text);
    }
    if (warnings.length > 0) ctx.responseHeaders['x-arbiter-budget-warning'] = warnings.map((w) => w.text).join('; ');
    return reservations;
  }

  /** Settles each reservation to what the call cost; a call of unknown cost keeps its worst case, never zero. */
  function settleBudgets(reservations: Reservation[], costNano: number | null | undefined, totalTokens: number): void {
    if (reservations.length === 0) return;
    const settle: SettleLine[] = reservations.map((r) => ({ scope: r.line.scope, reserved: r.line.amount, actual: r.spec.kind === 'usd' ? (costNano === null ? r.line.amount : costNano ?? 0) : totalTokens }));
    ledger.settle(settle).catch((error: unknown) => log.error({ err: error }, 'budget settle failed'));
  }

  const chatControls: ChatControls = {
    async admit(ctx, request, target) {
      try {
        return await admitRequest(ctx, request, target);
      } catch (error) {
        // Refused before any call (rate limit, budget): still one audit row and one metric.
        const refused = toArbiterError(error, ctx.requestId);
        const key = ctx.vars.keyId ? keys.byKeyId(ctx.vars.keyId) : undefined;
        record(ctx, { prompt: chatPrompt(request), target, outcome: { status: refused.status, errorCode: refused.code, attempts: [], retries: 0, fallbacks: 0, streamed: Boolean(request.stream) }, blocked: [], key });
        throw error;
      }
    },
    refuse(ctx, error, model) {
      const refused = toArbiterError(error, ctx.requestId);
      const key = ctx.vars.keyId ? keys.byKeyId(ctx.vars.keyId) : undefined;
      // The message may quote the request (a model name of any length): the row keeps its start.
      const reason = `${ctx.method} ${ctx.path} refused before routing: ${refused.message.slice(0, 200)}`;
      record(ctx, { prompt: model === undefined ? undefined : { model: model.slice(0, 200) }, outcome: { status: refused.status, errorCode: refused.code, attempts: [], retries: 0, fallbacks: 0, streamed: false }, blocked: [], key, reason });
    },
    async admitEmbedding(ctx, request, deployment) {
      const key = ctx.vars.keyId ? keys.byKeyId(ctx.vars.keyId) : undefined;
      const admittedBy = ctx.vars.keyRoute ? ` that the key's route '${ctx.vars.keyRoute}' admits` : '';
      const entry = { prompt: { model: request.model, content: request.input }, blocked: [], key, reason: `embeddings on ${deployment.name}: the first deployment of '${request.model}' that embeds${admittedBy}` };
      let reservations: Reservation[] = [];
      try {
        // Route budgets belong to chat routes; an embedding spends from the key's budgets.
        const owners = key && key.budgets.length > 0 ? [keyBudgetOwner(key)] : [];
        const inputTokens = (key && key.tpm !== null) || owners.length > 0 ? options.runtime.estimateEmbeddingTokens(request, deployment) : 0;
        if (key) {
          await checkRate(key, 'rpm', key.rpm, 1);
          await checkRate(key, 'tpm', key.tpm, inputTokens);
        }
        if (owners.length > 0) reservations = await reserveBudgets(ctx, owners, worstCaseOverChain(owners, [deployment], inputTokens, 0), inputTokens, key, undefined);
      } catch (error) {
        const refused = toArbiterError(error, ctx.requestId);
        record(ctx, { ...entry, outcome: { status: refused.status, errorCode: refused.code, deployment, attempts: [], retries: 0, fallbacks: 0, streamed: false } });
        throw error;
      }
      let finished = false;
      return {
        finish(outcome) {
          if (finished) return;
          finished = true;
          settleBudgets(reservations, outcome.costNano, outcome.usage?.prompt_tokens ?? 0);
          record(ctx, { ...entry, outcome });
        },
      };
    },
  };

  async function admitRequest(ctx: GatewayContext, request: ChatRequest, target: ResolvedTarget): Promise<ChatAdmission> {
      const key = ctx.vars.keyId ? keys.byKeyId(ctx.vars.keyId) : undefined;
      const deployment = target.chain[0];
      // Tokenizing costs more than the rest of admission: only limits and budgets need it.
      const owners = budgetOwners(key, target);
      const needsEstimate = (key !== undefined && key.tpm !== null) || owners.length > 0;
      const promptTokens = needsEstimate ? options.runtime.estimatePromptTokens(request, deployment) : 0;
      // Thinking bought with reasoning_effort bills beyond the caller's cap on some providers.
      const maxTokens = (requestedMaxTokens(request) ?? defaultMaxTokens) + reasoningBudgetTokens(request);

      if (key) {
        await checkRate(key, 'rpm', key.rpm, 1);
        await checkRate(key, 'tpm', key.tpm, promptTokens + (requestedMaxTokens(request) ?? 0));
        if (request.tools && request.tools.length > 0) await checkRate(key, 'tool_calls', key.toolCallsPerMinute, 0);
      }

      const allowedTools = key?.allowedTools ?? null;
      const stripped = stripTools(request, allowedTools);
      const upstreamRequest = stripped.request;
      const blocked: string[] = [];

      const route = target.route;
      const useCache = cacheApplies({
        routeEnabled: route?.cache.enabled ?? false,
        allowNonZeroTemperature: route?.cache.allowNonZeroTemperature ?? false,
        cacheHeader: header(ctx, 'x-arbiter-cache'),
        cacheControl: header(ctx, 'cache-control'),
        temperature: upstreamRequest.temperature,
      });
      const ttlMs = (route?.cache.ttlSeconds ?? 3600) * 1000;
      const keyOfCache = useCache ? cacheKey(upstreamRequest, target.routeName ? `route:${target.routeName}` : `model:${upstreamRequest.model}`) : undefined;
      const cached = keyOfCache ? cache.get(keyOfCache) : undefined;
      if (keyOfCache && !cached) ctx.responseHeaders['x-arbiter-cache'] = 'miss';

      // Budgets: reserve the worst case unless the answer comes from the cache.
      const reservations = !cached && owners.length > 0
        ? await reserveBudgets(ctx, owners, worstCaseOverChain(owners, target.chain, promptTokens, maxTokens), promptTokens + maxTokens, key, target.routeName)
        : [];

      let finished = false;
      const admission: ChatAdmission = {
        request: upstreamRequest,
        cachedResponse: cached,
        enforceResponse(response: ChatResponse) {
          const result = enforceToolCalls(response, allowedTools);
          blocked.push(...result.blocked);
          return result.response;
        },
        enforceStream(chunks) {
          // No tool list: hand the stream through untouched (each generator layer costs every chunk).
          if (allowedTools === null) return chunks;
          return enforceToolStream(chunks, allowedTools, (name) => blocked.push(name));
        },
        finish(outcome: ChatOutcome) {
          if (finished) return;
          finished = true;
          const usage = outcome.usage ?? outcome.response?.usage;
          const totalTokens = usage ? usage.prompt_tokens + usage.completion_tokens : 0;
          settleBudgets(reservations, outcome.costNano, totalTokens);
          if (key && !outcome.cacheHit) {
            // Counted only under a limit: a streamed response is rebuilt to count them.
            const toolCalls = key.toolCallsPerMinute === null ? 0 : outcome.response?.choices.reduce((sum, choice) => sum + (choice.message.tool_calls?.length ?? 0), 0) ?? 0;
            if (key.toolCallsPerMinute !== null && toolCalls > 0) limiter.consume(`${key.id}:tool_calls`, key.toolCallsPerMinute, toolCalls, { force: true }).catch(() => undefined);
            if (key.tpm !== null && usage) limiter.consume(`${key.id}:tpm`, key.tpm, usage.completion_tokens, { force: true }).catch(() => undefined);
          }
          if (keyOfCache && !outcome.cacheHit && outcome.status === 200 && outcome.response && blocked.length === 0) {
            cache.set(keyOfCache, outcome.response, ttlMs);
          }
          record(ctx, { prompt: chatPrompt(upstreamRequest), target, outcome, blocked: [...stripped.stripped, ...blocked], key });
        },
      };
      return admission;
  }

  /** One audit row and the metrics of a finished request; `prompt` and `target` are absent for one refused at the door. */
  function record(ctx: GatewayContext, entry: AuditEntry): void {
    const { prompt, target, outcome, blocked, key } = entry;
    const usage = outcome.usage ?? outcome.response?.usage;
    const latencyMs = now() - ctx.startedAt;
    const routeLabel = target?.routeName ?? '';
    const deploymentLabel = outcome.deployment?.name ?? '';
    try {
      metrics.recordRequest({
        route: routeLabel,
        deployment: deploymentLabel,
        status: outcome.status,
        cacheHit: outcome.cacheHit === true,
        fallbacks: outcome.fallbacks,
        retries: outcome.retries,
        blockedTools: blocked,
        latencySeconds: latencyMs / 1000,
        ttftSeconds: outcome.firstTokenMs !== undefined ? outcome.firstTokenMs / 1000 : undefined,
        tokens: usage && !outcome.cacheHit ? {
          prompt: usage.prompt_tokens,
          completion: usage.completion_tokens,
          cached: usage.prompt_tokens_details?.cached_tokens ?? 0,
          reasoning: usage.completion_tokens_details?.reasoning_tokens ?? 0,
        } : undefined,
        costUsd: outcome.costNano ? nanoToUsd(outcome.costNano) : undefined,
      });
    } catch (error) {
      log.error({ err: error }, 'metrics update failed');
    }
    const storeBodies = target?.route?.storeBodies === true;
    audit.record({
      request_id: ctx.requestId,
      created_at: ctx.startedAt,
      key_id: key?.id ?? ctx.vars.keyId ?? null,
      key_name: key?.name ?? ctx.vars.keyName ?? null,
      route: target?.routeName ?? null,
      deployment: outcome.deployment?.name ?? null,
      model: outcome.deployment?.model ?? outcome.response?.model ?? prompt?.model ?? null,
      reason: entry.reason ?? target?.reason ?? `${ctx.method} ${ctx.path} refused before the handler`,
      attempts_json: outcome.attempts.length > 0 ? JSON.stringify(outcome.attempts) : null,
      retries: outcome.retries,
      fallbacks: outcome.fallbacks,
      status: outcome.status,
      error_code: outcome.errorCode ?? null,
      prompt_tokens: outcome.cacheHit ? 0 : usage?.prompt_tokens ?? 0,
      completion_tokens: outcome.cacheHit ? 0 : usage?.completion_tokens ?? 0,
      cached_tokens: outcome.cacheHit ? 0 : usage?.prompt_tokens_details?.cached_tokens ?? 0,
      reasoning_tokens: outcome.cacheHit ? 0 : usage?.completion_tokens_details?.reasoning_tokens ?? 0,
      cost_nano: outcome.costNano === undefined ? null : outcome.costNano,
      latency_ms: latencyMs,
      ttft_ms: outcome.firstTokenMs ?? null,
      cache_hit: outcome.cacheHit ? 1 : 0,
      streamed: outcome.streamed ? 1 : 0,
      blocked_tools_json: blocked.length > 0 ? JSON.stringify(blocked) : null,
      prompt_hash: prompt?.content !== undefined ? sha256(canonicalJson(prompt.content)) : null,
      prompt_body: storeBodies && prompt?.content !== undefined ? redact(JSON.stringify(prompt.content)) : null,
      response_body: storeBodies && outcome.response ? redact(JSON.stringify(outcome.response)) : null,
      route_excluded_json: excludedJson(target),
    });
  }

  const auth = authMiddleware({ keys, masterKey: options.env[options.config.server.masterKeyEnv] });
  /** Requests refused at the door are in the audit trail too: who tried, when, with what answer. */
  const auditedAuth: Middleware = async function auditedAuth(ctx, next) {
    let admitted = false;
    try {
      await auth(ctx, () => {
        admitted = true;
        return next();
      });
    } catch (error) {
      if (!admitted) {
        const refused = toArbiterError(error, ctx.requestId);
        record(ctx, { outcome: { status: refused.status, errorCode: refused.code, attempts: [], retries: 0, fallbacks: 0, streamed: false }, blocked: [] });
      }
      throw error;
    }
  };

  let closing: Promise<void> | undefined;
  return {
    chatControls,
    authMiddleware: auditedAuth,
    keysConfigured: () => keys.hasKeys(),
    renderMetrics: () => metrics.render(),
    keys,
    metrics,
    auditFeed,
    budgetUsage: (scope) => ledger.usage(scope),
    close() {
      closing ??= (async () => {
        auditFeed.close();
        keys.close();
        await audit.close();
        await ledger.close();
        await limiter.close();
        if (redis) await redis.quit().catch(() => undefined);
      })();
      return closing;
    },
  };
}

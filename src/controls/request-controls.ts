/**
 * The one place that decides, for every entrance, what a request reserves, settles, caches
 * and records: rate limits, tool permissions, the cache, budgets, the audit row and the
 * metrics. It speaks in request facts, not HTTP: the gateway's adapter is glue around it.
 */
import type { Logger } from 'pino';
import type { ChatRequest } from '../core/chat-request.js';
import { requestedMaxTokens } from '../core/chat-request.js';
import type { ChatResponse } from '../core/chat-response.js';
import type { Deployment } from '../core/provider.js';
import type { EmbeddingRequest } from '../core/embeddings.js';
import { ArbiterError, isArbiterError } from '../core/errors.js';
import type { ArbiterConfig } from '../config/schema.js';
import type { Store } from '../store/database.js';
import { createMetrics, type GatewayMetrics } from '../telemetry/metrics.js';
import { logger as defaultLogger } from '../telemetry/logger.js';
import { AuditWriter } from './audit.js';
import { AuditFeed } from './audit-feed.js';
import { auditRowOf, refusedOutcome, requestMetricsOf, type AuditEntry } from './audit-row.js';
import { MemoryBudgetLedger, type BudgetLedger } from './budget.js';
import { budgetMessage, budgetWarnings, planReservations, type BudgetOwner, type Reservation } from './budget-plan.js';
import { ResponseCache } from './cache.js';
import { cacheHitAnswer, chatCachePlan } from './cache-policy.js';
import { chatBudgetOwners, embeddingBudgetOwners, outputAllowance, settleLines, worstCaseOverChain, type CostOf } from './chat-budget.js';
import type { ChatAdmission, EmbeddingAdmission } from './chat-admission.js';
import { KeyService, type VirtualKey } from './keys.js';
import { MemoryRateLimiter, type RateLimiter } from './rate-limit.js';
import { RedisBudgetLedger, RedisRateLimiter, createRedis } from './redis.js';
import { enforceToolCalls, enforceToolStream, stripTools } from './tools.js';
import type { ChatOutcome, RequestFacts, TargetFacts } from './request-facts.js';

export interface RequestControlsOptions {
  store: Store;
  /** Token estimates and prices: the runtime's. */
  runtime: {
    estimatePromptTokens(request: ChatRequest, deployment?: Deployment): number;
    estimateEmbeddingTokens(request: EmbeddingRequest, deployment: Deployment): number;
    costOf: CostOf;
  };
  config: ArbiterConfig;
  redisUrl?: string;
  logger?: Logger;
  now?: () => number;
  /** Default output cap assumed for the worst case when the request sets none. */
  defaultMaxTokens?: number;
  cacheEntries?: number;
}

export interface RequestControls {
  admitChat(facts: RequestFacts, request: ChatRequest, target: TargetFacts): Promise<ChatAdmission>;
  admitEmbedding(facts: RequestFacts, request: EmbeddingRequest, deployment: Deployment): Promise<EmbeddingAdmission>;
  /** A request refused before admission (bad body, unknown model, a route the key may not use). */
  refuse(facts: RequestFacts, error: unknown, model?: string): void;
  /** A request refused at the door (authentication). */
  refuseAtDoor(facts: RequestFacts, error: unknown): void;
  keys: KeyService;
  metrics: GatewayMetrics;
  /** Committed audit batches (the dashboard's live log). */
  auditFeed: AuditFeed;
  /** A budget scope's current use in the ledger (the dashboard's budgets). */
  budgetUsage(scope: string): Promise<number>;
  close(): Promise<void>;
}

function statusOf(error: unknown): { status: number; code: string; message: string } {
  if (isArbiterError(error)) return error;
  return { status: 500, code: 'internal_error', message: 'Internal error.' };
}

function chatPrompt(request: ChatRequest): AuditEntry['prompt'] {
  return { model: request.model, content: request.messages };
}

export async function createRequestControls(options: RequestControlsOptions): Promise<RequestControls> {
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
  const keyOf = (facts: RequestFacts): VirtualKey | undefined => (facts.keyId ? keys.byKeyId(facts.keyId) : undefined);

  async function checkRate(key: VirtualKey, kind: 'rpm' | 'tpm' | 'tool_calls', limit: number | null, cost: number): Promise<void> {
    if (limit === null) return;
    const decision = await limiter.consume(`${key.id}:${kind}`, limit, cost);
    if (decision.allowed) return;
    metrics.rateLimitRejections.inc({ limit: kind });
    const what = kind === 'rpm' ? `${limit} requests/minute` : kind === 'tpm' ? `${limit} tokens/minute` : `${limit} tool calls/minute`;
    throw new ArbiterError('rate_limit_exceeded', `key '${key.name}' rate limit ${what} reached; retry in ${Math.ceil(decision.retryAfterMs / 1000)}s`, { retryAfterMs: decision.retryAfterMs });
  }

  /** Moves a key's tokens-per-minute count from what was held to what was used (either way). */
  function settleTokens(key: VirtualKey, held: number, used: number): void {
    if (key.tpm === null || used === held) return;
    limiter.consume(`${key.id}:tpm`, key.tpm, used - held, { force: true }).catch((error: unknown) => log.error({ err: error }, 'rate limit settle failed'));
  }

  /** Reserves the worst case on every budget that applies, or refuses (429) naming the first that cannot take it. */
  async function reserveBudgets(facts: RequestFacts, owners: BudgetOwner[], worstCostNano: number, worstTokens: number, key: VirtualKey | undefined, routeName: string | undefined): Promise<Reservation[]> {
    const reservations = planReservations({ owners, at: now(), worstCostNano, worstTokens });
    const result = await ledger.reserve(reservations.map((r) => r.line));
    if (!result.ok) {
      const index = result.failedIndex ?? 0;
      const failed = reservations[index];
      metrics.budgetRejections.inc({ scope: failed?.owner.scope ?? 'key' });
      const message = failed ? budgetMessage(failed, result.used[index] ?? 0) : 'budget exhausted';
      log.warn({ keyId: key?.id, keyName: key?.name, route: routeName, requestId: facts.requestId }, message);
      throw new ArbiterError('budget_exceeded', message);
    }
    const warnings = budgetWarnings(reservations, result.used);
    for (const warning of warnings) {
      const scope = warning.reservation.line.scope;
      if (warned.has(scope)) continue;
      warned.add(scope);
      log.warn({ keyId: key?.id, keyName: key?.name, route: routeName, scope }, warning.text);
    }
    if (warnings.length > 0) facts.responseHeaders['x-arbiter-budget-warning'] = warnings.map((w) => w.text).join('; ');
    return reservations;
  }

  function settleBudgets(reservations: Reservation[], costNano: number | null | undefined, tokens: number): void {
    if (reservations.length === 0) return;
    ledger.settle(settleLines(reservations, costNano, tokens)).catch((error: unknown) => log.error({ err: error }, 'budget settle failed'));
  }

  /** One audit row and the metrics of a finished request; `prompt` and `target` are absent for one refused at the door. */
  function record(facts: RequestFacts, entry: AuditEntry): void {
    const latencyMs = now() - facts.startedAt;
    try {
      metrics.recordRequest(requestMetricsOf(entry, latencyMs));
    } catch (error) {
      log.error({ err: error }, 'metrics update failed');
    }
    audit.record(auditRowOf(facts, entry, latencyMs));
  }

  async function admitChatRequest(facts: RequestFacts, request: ChatRequest, target: TargetFacts): Promise<ChatAdmission> {
    const key = keyOf(facts);
    const deployment = target.chain[0];
    // Tokenizing costs more than the rest of admission: only limits and budgets need it.
    const owners = chatBudgetOwners(key, target);
    const needsEstimate = (key !== undefined && key.tpm !== null) || owners.length > 0;
    const promptTokens = needsEstimate ? options.runtime.estimatePromptTokens(request, deployment) : 0;
    const maxTokens = outputAllowance(request, defaultMaxTokens);

    // Tokens per minute: the prompt and the client's own cap are held now, and `finish`
    // settles the difference to what was used, so each token counts once.
    const tpmHeld = key?.tpm != null ? promptTokens + (requestedMaxTokens(request) ?? 0) : 0;
    if (key) {
      await checkRate(key, 'rpm', key.rpm, 1);
      await checkRate(key, 'tpm', key.tpm, tpmHeld);
      try {
        if (request.tools && request.tools.length > 0) await checkRate(key, 'tool_calls', key.toolCallsPerMinute, 0);
      } catch (error) {
        settleTokens(key, tpmHeld, 0);
        throw error;
      }
    }

    const allowedTools = key?.allowedTools ?? null;
    const stripped = stripTools(request, allowedTools);
    const upstreamRequest = stripped.request;
    const blocked: string[] = [];

    const cachePlan = chatCachePlan(facts, upstreamRequest, target);
    const hit = cachePlan ? cache.get(cachePlan.key) : undefined;
    if (cachePlan && !hit) facts.responseHeaders['x-arbiter-cache'] = 'miss';
    const cached = hit ? cacheHitAnswer(hit, facts.responseHeaders) : undefined;
    // The output allowance the budget reserves goes upstream as the cap, so the bill cannot pass it
    // (OpenAI and Gemini upstreams have none of their own; adapters map the field per wire format).
    const sent = requestedMaxTokens(upstreamRequest) === undefined && owners.length > 0 ? { ...upstreamRequest, max_completion_tokens: defaultMaxTokens } : upstreamRequest;

    // Budgets: reserve the worst case unless the answer comes from the cache.
    let reservations: Reservation[] = [];
    try {
      if (!cached && owners.length > 0) reservations = await reserveBudgets(facts, owners, worstCaseOverChain({ owners, chain: target.chain, promptTokens, outputTokens: maxTokens, costOf: options.runtime.costOf }), promptTokens + maxTokens, key, target.routeName);
    } catch (error) {
      if (key) settleTokens(key, tpmHeld, 0);
      throw error;
    }

    let finished = false;
    return {
      request: sent,
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
        if (key) {
          // A cache hit called nothing upstream: what it held comes back.
          settleTokens(key, tpmHeld, usage && !outcome.cacheHit ? usage.prompt_tokens + usage.completion_tokens : 0);
          // Counted only under a limit: a streamed response is rebuilt to count them.
          const toolCalls = key.toolCallsPerMinute === null || outcome.cacheHit ? 0 : outcome.response?.choices.reduce((sum, choice) => sum + (choice.message.tool_calls?.length ?? 0), 0) ?? 0;
          if (key.toolCallsPerMinute !== null && toolCalls > 0) limiter.consume(`${key.id}:tool_calls`, key.toolCallsPerMinute, toolCalls, { force: true }).catch(() => undefined);
        }
        if (cachePlan && !outcome.cacheHit && outcome.status === 200 && outcome.response && blocked.length === 0) {
          const served = outcome.deployment;
          const answer = { response: outcome.response, deployment: served && { name: served.name, model: served.model, simulated: served.simulated } };
          cache.set(cachePlan.storeKey(served?.upstreamModel), answer, cachePlan.ttlMs);
        }
        record(facts, { prompt: chatPrompt(upstreamRequest), target, outcome, blocked: [...stripped.stripped, ...blocked], key });
      },
    };
  }

  let closing: Promise<void> | undefined;
  return {
    keys,
    metrics,
    async admitChat(facts, request, target) {
      try {
        return await admitChatRequest(facts, request, target);
      } catch (error) {
        // Refused before any call (rate limit, budget): still one audit row and one metric.
        record(facts, { prompt: chatPrompt(request), target, outcome: refusedOutcome(statusOf(error), Boolean(request.stream)), blocked: [], key: keyOf(facts) });
        throw error;
      }
    },
    refuse(facts, error, model) {
      const refused = statusOf(error);
      // The message may quote the request (a model name of any length): the row keeps its start.
      const reason = `${facts.method} ${facts.path} refused before routing: ${refused.message.slice(0, 200)}`;
      record(facts, { prompt: model === undefined ? undefined : { model: model.slice(0, 200) }, outcome: refusedOutcome(refused), blocked: [], key: keyOf(facts), reason });
    },
    refuseAtDoor(facts, error) {
      record(facts, { outcome: refusedOutcome(statusOf(error)), blocked: [] });
    },
    async admitEmbedding(facts, request, deployment) {
      const key = keyOf(facts);
      const admittedBy = facts.keyRoute ? ` that the key's route '${facts.keyRoute}' admits` : '';
      const entry = { prompt: { model: request.model, content: request.input }, blocked: [], key, reason: `embeddings on ${deployment.name}: the first deployment of '${request.model}' that embeds${admittedBy}` };
      let reservations: Reservation[] = [];
      const owners = embeddingBudgetOwners(key);
      const inputTokens = (key && key.tpm !== null) || owners.length > 0 ? options.runtime.estimateEmbeddingTokens(request, deployment) : 0;
      let tpmHeld = 0;
      try {
        if (key) {
          await checkRate(key, 'rpm', key.rpm, 1);
          await checkRate(key, 'tpm', key.tpm, inputTokens);
          tpmHeld = inputTokens;
        }
        if (owners.length > 0) reservations = await reserveBudgets(facts, owners, worstCaseOverChain({ owners, chain: [deployment], promptTokens: inputTokens, outputTokens: 0, costOf: options.runtime.costOf }), inputTokens, key, undefined);
      } catch (error) {
        if (key) settleTokens(key, tpmHeld, 0);
        record(facts, { ...entry, outcome: refusedOutcome(statusOf(error), false, deployment) });
        throw error;
      }
      let finished = false;
      return {
        finish(outcome) {
          if (finished) return;
          finished = true;
          settleBudgets(reservations, outcome.costNano, outcome.usage?.prompt_tokens ?? 0);
          if (key) settleTokens(key, tpmHeld, outcome.usage?.prompt_tokens ?? 0);
          record(facts, { ...entry, outcome });
        },
      };
    },
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

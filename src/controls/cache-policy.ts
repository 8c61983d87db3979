/**
 * Whether a chat request's answer may come from (and go into) the response cache, and under
 * which key and for how long. Pure: headers and route settings come in as facts.
 */
import type { ChatRequest } from '../core/chat-request.js';
import type { ChatResponse } from '../core/chat-response.js';
import { nanoToUsd } from '../core/money.js';
import { cacheApplies, cacheKey, type CachedAnswer } from './cache.js';
import type { RequestFacts, TargetFacts } from './request-facts.js';

export interface CachePlan {
  /** Looked up under the first deployment's upstream model: the one meant to answer. */
  key: string;
  /** Stored under the upstream model that did answer (a fallback's answer is not the first's). */
  storeKey(upstreamModel: string | undefined): string;
  ttlMs: number;
}

/** The plan, or undefined when the cache does not apply to this request. */
export function chatCachePlan(facts: Pick<RequestFacts, 'cacheHeader' | 'cacheControl'>, request: ChatRequest, target: Pick<TargetFacts, 'routeName' | 'route' | 'chain'>): CachePlan | undefined {
  const route = target.route;
  const applies = cacheApplies({
    routeEnabled: route?.cache.enabled ?? false,
    allowNonZeroTemperature: route?.cache.allowNonZeroTemperature ?? false,
    cacheHeader: facts.cacheHeader,
    cacheControl: facts.cacheControl,
    temperature: request.temperature,
  });
  if (!applies) return undefined;
  const scope = target.routeName ? `route:${target.routeName}` : `model:${request.model}`;
  const first = target.chain[0]?.upstreamModel;
  const key = cacheKey(request, scope, first);
  return {
    key,
    storeKey: (upstreamModel) => (upstreamModel === undefined || upstreamModel === first ? key : cacheKey(request, scope, upstreamModel)),
    ttlMs: (route?.cache.ttlSeconds ?? 3600) * 1000,
  };
}

/**
 * What a hit answers: the stored response with its own cost, zero, in `usage.cost_usd` (the
 * stored one carries the cost of the call that filled it), and the decision headers a live
 * answer carries, naming the deployment that gave it.
 */
export function cacheHitAnswer(answer: CachedAnswer, headers: Record<string, string>): ChatResponse {
  const stored = answer.response;
  headers['x-arbiter-cache'] = 'hit';
  headers['x-arbiter-cost-usd'] = nanoToUsd(0).toFixed(9);
  headers['x-arbiter-retries'] = '0';
  headers['x-arbiter-fallbacks'] = '0';
  if (answer.deployment) {
    headers['x-arbiter-model'] = answer.deployment.model;
    headers['x-arbiter-deployment'] = answer.deployment.name;
    if (answer.deployment.simulated) headers['x-arbiter-simulated'] = 'true';
  }
  const usage = stored.usage;
  return usage && typeof usage === 'object' ? { ...stored, usage: { ...usage, cost_usd: 0 } } : { ...stored };
}

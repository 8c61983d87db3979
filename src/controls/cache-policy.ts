/**
 * Whether a chat request's answer may come from (and go into) the response cache, and under
 * which key and for how long. Pure: headers and route settings come in as facts.
 */
import type { ChatRequest } from '../core/chat-request.js';
import { cacheApplies, cacheKey } from './cache.js';
import type { RequestFacts, TargetFacts } from './request-facts.js';

export interface CachePlan {
  key: string;
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
  return { key: cacheKey(request, scope), ttlMs: (route?.cache.ttlSeconds ?? 3600) * 1000 };
}

/**
 * The runtime's bridge to the router: candidates from deployments + catalog + eval quality,
 * compiled per route at start, decided per request, with live health per deployment.
 */
import type { ArbiterConfig } from '../config/schema.js';
import type { ChatRequest } from '../core/chat-request.js';
import { ArbiterError } from '../core/errors.js';
import type { Deployment } from '../core/provider.js';
import type { Catalog, PriceFact } from '../catalog/index.js';
import type { ResolvedTarget } from './types.js';

export interface QualityFigures {
  passes: number;
  total: number;
  passRate: number;
  passRateLower: number;
  passRateUpper: number;
  avgCostNano?: number;
  p95LatencyMs?: number;
}

/** Eval evidence per (model, task kind), read from the store at start and on refresh. */
export type QualitySource = (modelId: string, taskKind: string) => QualityFigures | undefined;

export interface Routing {
  decideRoute(routeName: string, request: ChatRequest, requestId: string, promptTokens: number): ResolvedTarget;
  orderMirrors(mirrors: Deployment[]): Deployment[];
}

export interface RoutingOptions {
  config: ArbiterConfig;
  deployments: readonly Deployment[];
  catalog: Catalog;
  quality?: QualitySource;
  priceOf: (deployment: Deployment) => PriceFact | undefined;
}

export function createRouting(_options: RoutingOptions): Routing {
  return {
    decideRoute(routeName) {
      throw new ArbiterError('no_route_candidates', `Route '${routeName}' cannot be decided yet.`);
    },
    orderMirrors: (mirrors) => mirrors,
  };
}

/**
 * The runtime's bridge to the router: candidates from deployments + catalog facts + eval
 * quality, routes compiled once at start, a decision per request, live health per deployment.
 */
import type { ArbiterConfig } from '../config/schema.js';
import type { RouteConfig } from '../config/routes.js';
import type { ChatRequest } from '../core/chat-request.js';
import { requestedMaxTokens } from '../core/chat-request.js';
import { ownValue } from '../core/own-property.js';
import type { Deployment } from '../core/provider.js';
import { findModel, type Catalog, type PriceFact, type Preset } from '../catalog/index.js';
import { LOCAL_PRESETS } from '../catalog/schema.js';
import { compileRoute, decide, explainDecision, type CompiledRoute, type Decision } from '../router/decide.js';
import { HealthTracker } from '../router/deployment-health.js';
import { complianceExclusions } from '../router/filter-candidates.js';
import type { CandidateRoute, QualityFigures, QualityLookup, RequestFacts, RouteCandidate } from '../router/route-candidate.js';
import type { ResolvedTarget } from './types.js';

export type { QualityFigures };
export type QualitySource = QualityLookup;

export interface Routing {
  readonly health: HealthTracker;
  decideRoute(routeName: string, request: ChatRequest, requestId: string, promptTokens: number): ResolvedTarget;
  decision(routeName: string, request: ChatRequest, requestId: string, promptTokens: number): Decision;
  orderMirrors(mirrors: Deployment[]): Deployment[];
  /** Why the route's compliance rules keep data away from this deployment; empty when they admit it. */
  complianceExclusions(routeName: string, deployment: Deployment): string[];
  /** New eval evidence (after a bake-off or a refresh from the store). */
  setQuality(quality: QualitySource | undefined): void;
  /** The catalog's vendor and jurisdiction of a deployment's model, and where it runs. */
  placeOf(deployment: Deployment): { vendor: string; jurisdiction: string; region: string };
}

export interface RoutingOptions {
  config: ArbiterConfig;
  deployments: readonly Deployment[];
  catalog: Catalog;
  quality?: QualitySource;
  priceOf: (deployment: Deployment) => PriceFact | undefined;
}

const defaultCapabilities = { tools: true, parallelTools: true, jsonSchema: true, vision: false, reasoning: false };

/** Groups deployments by model into candidates carrying the catalog's facts. */
export function buildCandidates(options: RoutingOptions): RouteCandidate[] {
  const byModel = new Map<string, RouteCandidate>();
  for (const deployment of options.deployments) {
    const model = findModel(deployment.catalogModel ?? deployment.model, options.catalog) ?? findModel(deployment.upstreamModel, options.catalog);
    let candidate = byModel.get(deployment.model);
    if (!candidate) {
      candidate = {
        modelId: deployment.model,
        vendor: model?.vendor ?? 'unknown',
        jurisdiction: model?.jurisdiction ?? 'UNKNOWN',
        openWeights: model?.openWeights ?? false,
        capabilities: model?.capabilities ?? defaultCapabilities,
        contextWindow: model?.contextWindow ?? 128_000,
        maxOutput: model?.maxOutput ?? 8_192,
        routes: [],
      };
      byModel.set(deployment.model, candidate);
    }
    const price = options.priceOf(deployment);
    const catalogDeployment = model?.deployments.find((entry) => entry.upstreamModel === deployment.upstreamModel && entry.provider === deployment.provider);
    const local = (deployment.preset !== undefined && LOCAL_PRESETS.includes(deployment.preset as Preset)) || model?.jurisdiction === 'LOCAL';
    const route: CandidateRoute = {
      deployment,
      region: deployment.region ?? catalogDeployment?.region ?? 'unknown',
      residency: catalogDeployment?.dataResidency ?? (deployment.region ?? 'unknown').toUpperCase(),
      local,
      ...(price ? { price: { input: price.input, output: price.output, ...(price.cachedInput !== undefined ? { cachedInput: price.cachedInput } : {}) } } : {}),
    };
    candidate.routes.push(route);
  }
  return [...byModel.values()];
}

export function requestFacts(request: ChatRequest, promptTokens: number): RequestFacts {
  return {
    promptTokens,
    maxOutputTokens: requestedMaxTokens(request) ?? 0,
    needsTools: (request.tools?.length ?? 0) > 0,
    needsJsonSchema: request.response_format?.type === 'json_schema',
    needsVision: request.messages.some((message) => message.role === 'user' && Array.isArray(message.content) && message.content.some((part) => part.type === 'image_url')),
  };
}

/**
 * A request's target on a route. Rendering the explanation costs more than deciding; only
 * `--explain` and audits read it. A class for the reason RouteDecision is one.
 */
class RoutedTarget implements ResolvedTarget {
  readonly chain: Deployment[];
  readonly reason: string;

  constructor(readonly requested: string, readonly routeName: string, readonly route: RouteConfig | undefined, private readonly made: Decision) {
    this.chain = made.chain;
    this.reason = made.reason;
  }

  get explanation(): string {
    return explainDecision(this.made);
  }

  get excluded(): ReadonlyArray<{ modelId: string; reasons: string[] }> {
    return this.made.excluded;
  }
}

export function createRouting(options: RoutingOptions): Routing {
  const health = new HealthTracker();
  const candidates = buildCandidates(options);
  const compiled = new Map<string, CompiledRoute>();
  for (const [name, policy] of Object.entries(options.config.routes)) compiled.set(name, compileRoute(name, policy, candidates));
  let quality = options.quality;

  const decision = (routeName: string, request: ChatRequest, requestId: string, promptTokens: number): Decision => {
    const route = compiled.get(routeName);
    if (!route) throw new Error(`unknown route ${routeName}`);
    return decide({ compiled: route, facts: requestFacts(request, promptTokens), quality, health, requestId });
  };

  return {
    health,
    decision,
    decideRoute(routeName, request, requestId, promptTokens) {
      return new RoutedTarget(request.model, routeName, ownValue(options.config.routes, routeName), decision(routeName, request, requestId, promptTokens));
    },
    orderMirrors(mirrors) {
      // Config order is the preference; only demoted mirrors (open breaker, failing) move back.
      if (mirrors.length < 2 || !mirrors.some((deployment) => health.demotion(deployment.name) > 0)) return mirrors;
      return [...mirrors].sort((a, b) => health.demotion(a.name) - health.demotion(b.name));
    },
    complianceExclusions(routeName, deployment) {
      const policy = ownValue(options.config.routes, routeName);
      if (!policy) throw new Error(`unknown route ${routeName}`);
      const candidate = candidates.find((entry) => entry.modelId === deployment.model);
      const route = candidate?.routes.find((entry) => entry.deployment.name === deployment.name);
      if (!candidate || !route) return ['not a deployment of this gateway'];
      return complianceExclusions(policy.compliance, { ...candidate, routes: [route] }).reasons;
    },
    setQuality(next) {
      quality = next;
    },
    placeOf(deployment) {
      const candidate = candidates.find((entry) => entry.modelId === deployment.model);
      const route = candidate?.routes.find((entry) => entry.deployment.name === deployment.name);
      return { vendor: candidate?.vendor ?? 'unknown', jurisdiction: candidate?.jurisdiction ?? 'UNKNOWN', region: route?.region ?? deployment.region ?? 'unknown' };
    },
  };
}

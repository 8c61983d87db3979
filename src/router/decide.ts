/**
 * The choice: among candidates that satisfy the route's policy, the lowest expected cost per
 * successful task (expected request cost / measured pass rate), then the others in the same
 * order as fallbacks. Static rules are compiled once per route; per request only request
 * facts, evidence and live health are looked at.
 */
import type { RouteConfig } from '../config/routes.js';
import type { Deployment } from '../core/provider.js';
import { dynamicExclusions, staticExclusions, type ExcludedCandidate } from './filter-candidates.js';
import type { HealthTracker } from './deployment-health.js';
import type { CandidateRoute, QualityFigures, QualityLookup, RequestFacts, RouteCandidate } from './route-candidate.js';

export interface CompiledRoute {
  name: string;
  policy: RouteConfig;
  eligible: Array<{ candidate: RouteCandidate; routes: CandidateRoute[] }>;
  excluded: ExcludedCandidate[];
}

export interface Survivor {
  modelId: string;
  deployment: string;
  expectedCostNano: number | null;
  passRate: number | null;
  costPerSuccessNano: number | null;
  unexplored: boolean;
}

export interface Decision {
  route: string;
  chain: Deployment[];
  reason: string;
  survivors: Survivor[];
  excluded: ExcludedCandidate[];
}

export function compileRoute(name: string, policy: RouteConfig, candidates: readonly RouteCandidate[]): CompiledRoute {
  const eligible: CompiledRoute['eligible'] = [];
  const excluded: ExcludedCandidate[] = [];
  for (const candidate of candidates) {
    const { reasons, routes } = staticExclusions(policy, candidate);
    if (reasons.length > 0) excluded.push({ modelId: candidate.modelId, reasons });
    else eligible.push({ candidate, routes: byPrice(routes) });
  }
  return { name, policy, eligible, excluded };
}

/** Stable [0,1) from a string (FNV-1a), so exploration is sticky per request id. */
export function unitHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  // Divide by 2^32 so the result covers [0,1) evenly and never reaches 1.
  return (hash >>> 0) / 4294967296;
}

function expectedCostNano(route: CandidateRoute, facts: RequestFacts, avgCostNano: number | undefined): number | null {
  if (avgCostNano !== undefined) return avgCostNano;
  if (!route.price) return null;
  const expectedOutput = Math.min(facts.maxOutputTokens, 256);
  return Math.round(facts.promptTokens * route.price.input * 1000 + expectedOutput * route.price.output * 1000);
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function routeOrderPrice(route: CandidateRoute): number {
  return route.price ? route.price.input * 3 + route.price.output : Number.POSITIVE_INFINITY;
}

/** A model's mirrors cheapest first: the order when all are healthy, fixed at compile time. */
function byPrice(routes: CandidateRoute[]): CandidateRoute[] {
  return [...routes].sort((a, b) => routeOrderPrice(a) - routeOrderPrice(b));
}

/**
 * Mirrors of one model, healthiest then cheapest first. `routes` is already price-ordered, so
 * when no mirror is demoted (the usual case) it is returned as is, with no allocation.
 */
function orderRoutes(routes: CandidateRoute[], health: HealthTracker | undefined): CandidateRoute[] {
  if (routes.length < 2 || !health) return routes;
  let demoted = false;
  for (const route of routes) {
    if (health.demotion(route.deployment.name) > 0) {
      demoted = true;
      break;
    }
  }
  if (!demoted) return routes;
  // Array.prototype.sort is stable: equal demotion keeps the price order.
  return [...routes].sort((a, b) => health.demotion(a.deployment.name) - health.demotion(b.deployment.name));
}

export interface DecideInput {
  compiled: CompiledRoute;
  facts: RequestFacts;
  quality?: QualityLookup;
  health?: HealthTracker;
  requestId: string;
}

function rank(candidate: RouteCandidate, quality: QualityFigures | undefined, unexplored: boolean, routes: CandidateRoute[], facts: RequestFacts): Survivor {
  const cost = expectedCostNano(routes[0]!, facts, quality?.avgCostNano);
  const passRate = quality && quality.total > 0 ? quality.passRate : null;
  const costPerSuccessNano = cost === null ? null : passRate === null ? cost : passRate > 0 ? Math.round(cost / passRate) : null;
  return { modelId: candidate.modelId, deployment: routes[0]!.deployment.name, expectedCostNano: cost, passRate, costPerSuccessNano, unexplored };
}

const sortKey = (survivor: Survivor): number => survivor.costPerSuccessNano ?? Number.POSITIVE_INFINITY;

interface Ranked { survivor: Survivor; routes: CandidateRoute[] }

/** Unexplored candidates go first when this request explores, last otherwise; then cost per success, then id. */
function compareRanked(a: Ranked, b: Ranked, explore: boolean): number {
  if (a.survivor.unexplored !== b.survivor.unexplored) return (a.survivor.unexplored === explore) ? -1 : 1;
  // Ties break by id, by code unit: localeCompare would cost more than the rest of the sort.
  return sortKey(a.survivor) - sortKey(b.survivor) || compareIds(a.survivor.modelId, b.survivor.modelId);
}

export function decide(input: DecideInput): Decision {
  const { compiled, facts } = input;
  const explore = compiled.policy.explore > 0 && unitHash(input.requestId) < compiled.policy.explore;
  const chainLength = 1 + compiled.policy.maxFallbacks;
  const rejected: RouteCandidate[] = [];
  const ranked: Ranked[] = [];
  // The chain needs only the best `chainLength` candidates (each brings at least one route):
  // they are kept in order as candidates arrive, and the full ranking is sorted only if read.
  const best: Ranked[] = [];
  for (const { candidate, routes } of compiled.eligible) {
    const dynamic = dynamicExclusions(compiled.policy, candidate, facts, input.quality, false);
    if (dynamic.excluded) {
      rejected.push(candidate);
      continue;
    }
    const ordered = orderRoutes(routes, input.health);
    const entry: Ranked = { survivor: rank(candidate, dynamic.quality, dynamic.unexplored, ordered, facts), routes: ordered };
    ranked.push(entry);
    if (best.length < chainLength || compareRanked(entry, best[best.length - 1]!, explore) < 0) {
      let at = best.length;
      while (at > 0 && compareRanked(entry, best[at - 1]!, explore) < 0) at--;
      best.splice(at, 0, entry);
      if (best.length > chainLength) best.pop();
    }
  }
  const chain: Deployment[] = [];
  for (const entry of best) {
    for (const route of entry.routes) if (chain.length < chainLength) chain.push(route.deployment);
    if (chain.length >= chainLength) break;
  }
  return new RouteDecision(compiled, chain, reasonFor(compiled.name, best[0]?.survivor, explore), ranked, rejected, explore, facts, input.quality);
}

/**
 * A decision whose full ranking and exclusion texts are written out on demand: only
 * --explain and audits read them. A class, because an object literal with getters is
 * allocated in the old generation by V8, keeping the request's objects alive through
 * young-generation collections (see RequestContext in gateway/server.ts).
 */
class RouteDecision implements Decision {
  readonly route: string;

  constructor(
    private readonly compiled: CompiledRoute,
    readonly chain: Deployment[],
    readonly reason: string,
    private readonly ranked: Ranked[],
    private readonly rejected: RouteCandidate[],
    private readonly explore: boolean,
    private readonly facts: RequestFacts,
    private readonly quality: DecideInput['quality'],
  ) {
    this.route = compiled.name;
  }

  get survivors(): Survivor[] {
    return [...this.ranked].sort((a, b) => compareRanked(a, b, this.explore)).map((entry) => entry.survivor);
  }

  get excluded(): ExcludedCandidate[] {
    return [
      ...this.compiled.excluded,
      ...this.rejected.map((candidate) => ({ modelId: candidate.modelId, reasons: dynamicExclusions(this.compiled.policy, candidate, this.facts, this.quality).reasons })),
    ];
  }
}

function formatNanoUsd(nano: number | null): string {
  return nano === null ? 'unpriced' : `$${(nano / 1e9).toPrecision(3)}`;
}

function reasonFor(route: string, best: Survivor | undefined, explore: boolean): string {
  if (!best) return `route ${route}: no candidate satisfies the policy`;
  if (best.unexplored && explore) return `route ${route}: exploring ${best.modelId} (no eval data yet)`;
  const evidence = best.passRate === null ? 'no eval evidence needed' : `pass rate ${best.passRate.toFixed(2)}`;
  return `route ${route}: ${best.modelId} lowest cost per success ${formatNanoUsd(best.costPerSuccessNano)} (${evidence})`;
}

export function explainDecision(decision: Decision): string {
  // The reason names its route for response headers; the heading already does.
  const reason = decision.reason.startsWith(`route ${decision.route}: `) ? decision.reason.slice(`route ${decision.route}: `.length) : decision.reason;
  const lines = [`Route ${decision.route}: ${reason}`, '', 'Survivors (in chain order):'];
  if (decision.survivors.length === 0) lines.push('  (none)');
  for (const survivor of decision.survivors) {
    lines.push(`  ${survivor.modelId.padEnd(28)} via ${survivor.deployment.padEnd(32)} expected ${formatNanoUsd(survivor.expectedCostNano).padEnd(10)} pass ${survivor.passRate === null ? 'n/a ' : survivor.passRate.toFixed(2)}  cost/success ${formatNanoUsd(survivor.costPerSuccessNano)}${survivor.unexplored ? '  [unexplored]' : ''}`);
  }
  lines.push('', 'Excluded:');
  if (decision.excluded.length === 0) lines.push('  (none)');
  for (const entry of decision.excluded) lines.push(`  ${entry.modelId.padEnd(28)} ${entry.reasons.join('; ')}`);
  lines.push('', `Chain: ${decision.chain.map((deployment) => deployment.name).join(' -> ') || '(empty)'}`);
  return lines.join('\n');
}

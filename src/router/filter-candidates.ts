/**
 * Applies a route's policy to the candidates. Every rule names what it excluded, so the
 * decision can be explained; residency and locality filter routes within a model, and a
 * model survives while any of its mirrors qualifies.
 */
import type { RouteConfig } from '../config/routes.js';
import type { CandidateRoute, QualityLookup, RequestFacts, RouteCandidate } from './route-candidate.js';

export interface EligibleCandidate {
  candidate: RouteCandidate;
  routes: CandidateRoute[];
  /** Quality on the route's task kind; undefined when unmeasured (explore only). */
  quality?: ReturnType<QualityLookup>;
  unexplored: boolean;
}

export interface ExcludedCandidate {
  modelId: string;
  reasons: string[];
}

export interface FilterResult {
  eligible: EligibleCandidate[];
  excluded: ExcludedCandidate[];
}

const blended = (price: { input: number; output: number }): number => (3 * price.input + price.output) / 4;

type Compliance = RouteConfig['compliance'];

/** Who stands behind the model: jurisdiction, vendor, open weights. */
function identityExclusions(rules: Compliance, candidate: RouteCandidate, reasons: string[]): void {
  if (rules.allowJurisdictions && !rules.allowJurisdictions.includes(candidate.jurisdiction)) reasons.push(`vendor jurisdiction ${candidate.jurisdiction} not allowed`);
  if (rules.denyJurisdictions?.includes(candidate.jurisdiction)) reasons.push(`vendor jurisdiction ${candidate.jurisdiction} denied`);
  if (rules.excludeVendors?.includes(candidate.vendor)) reasons.push(`vendor ${candidate.vendor} excluded`);
  if (rules.openWeightsOnly && !candidate.openWeights) reasons.push('not open weights');
}

/** Where the data would go: the mirrors hosted in an allowed region, and local ones when the route is local-only. */
function hostedRoutes(rules: Compliance, routes: CandidateRoute[], reasons: string[]): CandidateRoute[] {
  let kept = routes;
  if (rules.allowRegions) {
    kept = kept.filter((route) => rules.allowRegions!.includes(route.region) || rules.allowRegions!.includes(route.residency.toLowerCase()));
    if (kept.length === 0) reasons.push(`no mirror hosted in ${rules.allowRegions.join('/')}`);
  }
  if (rules.localOnly) {
    kept = kept.filter((route) => route.local);
    if (kept.length === 0) reasons.push('no local mirror (route is local-only)');
  }
  return kept;
}

/**
 * The compliance rules alone, whatever the request is for: a key bound to a route embeds only
 * where the route's chat could go.
 */
export function complianceExclusions(rules: Compliance, candidate: RouteCandidate): { reasons: string[]; routes: CandidateRoute[] } {
  const reasons: string[] = [];
  identityExclusions(rules, candidate, reasons);
  const routes = hostedRoutes(rules, candidate.routes, reasons);
  return { reasons, routes };
}

/** Rules that depend only on the policy and the candidate: computed once per route. */
export function staticExclusions(policy: RouteConfig, candidate: RouteCandidate): { reasons: string[]; routes: CandidateRoute[] } {
  const reasons: string[] = [];
  if (policy.candidates && !policy.candidates.includes(candidate.modelId) && !candidate.routes.some((route) => policy.candidates!.includes(route.deployment.name))) {
    reasons.push('not listed in the route candidates');
  }
  identityExclusions(policy.compliance, candidate, reasons);
  for (const need of policy.require) {
    const has = need === 'tools' ? candidate.capabilities.tools
      : need === 'parallel_tools' ? candidate.capabilities.parallelTools
        : need === 'json_schema' ? candidate.capabilities.jsonSchema
          : need === 'vision' ? candidate.capabilities.vision
            : candidate.capabilities.reasoning;
    if (!has) reasons.push(`lacks required capability ${need}`);
  }
  let routes = hostedRoutes(policy.compliance, candidate.routes, reasons);
  if (policy.maxPricePerMTokens !== undefined) {
    routes = routes.filter((route) => route.price !== undefined && blended(route.price) <= policy.maxPricePerMTokens!);
    if (routes.length === 0) reasons.push(`no mirror priced at or under $${policy.maxPricePerMTokens}/M tokens (unpriced counts as over)`);
  }
  return { reasons, routes };
}

export interface DynamicVerdict { excluded: boolean; reasons: string[]; quality?: ReturnType<QualityLookup>; unexplored: boolean }

const NO_REASONS: string[] = [];

/**
 * Rules that depend on the request and on measured evidence. Runs for every candidate of
 * every request, so the reason texts (only `--explain` and audits read them) are written
 * only when `withReasons` asks; without them the returned verdict is only valid until the
 * next call.
 */
// Without reasons the verdict is read at once by the caller (decide), so one scratch object
// serves every candidate of every request instead of a hundred allocations a decision.
const scratch: DynamicVerdict = { excluded: false, reasons: NO_REASONS, unexplored: false };

export function dynamicExclusions(policy: RouteConfig, candidate: RouteCandidate, facts: RequestFacts, quality: QualityLookup | undefined, withReasons = true): DynamicVerdict {
  const reasons = withReasons ? [] : NO_REASONS;
  let excluded = false;
  if (facts.needsTools && !candidate.capabilities.tools) {
    excluded = true;
    if (withReasons) reasons.push('request has tools; model lacks tool calling');
  }
  if (facts.needsJsonSchema && !candidate.capabilities.jsonSchema) {
    excluded = true;
    if (withReasons) reasons.push('request needs json_schema; model lacks it');
  }
  if (facts.needsVision && !candidate.capabilities.vision) {
    excluded = true;
    if (withReasons) reasons.push('request has images; model lacks vision');
  }
  const needed = facts.promptTokens + facts.maxOutputTokens;
  if (needed > candidate.contextWindow) {
    excluded = true;
    if (withReasons) reasons.push(`needs ${needed} tokens of context, window is ${candidate.contextWindow}`);
  }
  const measured = quality?.(candidate.modelId, policy.task);
  let unexplored = false;
  if (policy.qualityFloor !== undefined) {
    if (!measured || measured.total === 0) {
      if (policy.explore > 0) unexplored = true;
      else {
        excluded = true;
        if (withReasons) reasons.push(`no eval data for ${policy.task}`);
      }
    } else if (measured.passRateLower < policy.qualityFloor) {
      excluded = true;
      if (withReasons) reasons.push(`pass-rate lower bound ${measured.passRateLower.toFixed(2)} < floor ${policy.qualityFloor} (${measured.passes}/${measured.total})`);
    }
  }
  if (policy.maxLatencyP95Ms !== undefined && measured?.p95LatencyMs !== undefined && measured.p95LatencyMs > policy.maxLatencyP95Ms) {
    excluded = true;
    if (withReasons) reasons.push(`p95 latency ${Math.round(measured.p95LatencyMs)} ms > ceiling ${policy.maxLatencyP95Ms} ms`);
  }
  if (withReasons) return { excluded, reasons, quality: measured, unexplored };
  scratch.excluded = excluded;
  scratch.quality = measured;
  scratch.unexplored = unexplored;
  return scratch;
}

/**
 * What the router knows about a candidate: one model (the unit of quality) with one or more
 * routes (deployments serving the same weights: vendor, reseller, local mirror).
 */
import type { Deployment } from '../core/provider.js';

export interface CandidatePrice { input: number; cachedInput?: number; output: number }

export interface CandidateRoute {
  deployment: Deployment;
  region: string;
  residency: string;
  local: boolean;
  /** Undefined = unpriced. */
  price?: CandidatePrice;
}

export interface RouteCandidate {
  modelId: string;
  vendor: string;
  jurisdiction: string;
  openWeights: boolean;
  capabilities: { tools: boolean; parallelTools: boolean; jsonSchema: boolean; vision: boolean; reasoning: boolean };
  contextWindow: number;
  maxOutput: number;
  routes: CandidateRoute[];
}

export type { QualityFigures, QualityLookup } from '../core/quality.js';

/** Facts of the request that decide eligibility. */
export interface RequestFacts {
  promptTokens: number;
  maxOutputTokens: number;
  needsTools: boolean;
  needsJsonSchema: boolean;
  needsVision: boolean;
}

/**
 * The query behind `arbiter models`: one row per deployment that passes every filter,
 * cheapest first (blended 3:1 price), unpriced rows last. Pure, so the CLI is a printer.
 */
import { blendedPrice } from './blended-price.js';
import type { Capabilities, CatalogDeployment, CatalogModel, ModelFamily } from './schema.js';

/** CLI spelling -> capability flag. */
export const capabilityNames = {
  tools: 'tools',
  parallel_tools: 'parallelTools',
  json_schema: 'jsonSchema',
  reasoning: 'reasoning',
  vision: 'vision',
} as const satisfies Record<string, keyof Capabilities>;

export type CapabilityName = keyof typeof capabilityNames;

export interface ModelFilter {
  family?: readonly ModelFamily[];
  /** Case-insensitive. */
  vendor?: readonly string[];
  /** The vendor's home jurisdiction (US, FR, CN...), case-insensitive. */
  jurisdiction?: readonly string[];
  openWeights?: boolean;
  /** Deployment region (us, eu, cn, sg, global, local...), case-insensitive. */
  region?: readonly string[];
  /** Deployment data residency (US, EU, CN, LOCAL...), case-insensitive. */
  residency?: readonly string[];
  supports?: readonly CapabilityName[];
  /** USD per million input tokens; unpriced deployments never pass a price ceiling. */
  maxInputPrice?: number;
  minContext?: number;
  /** Default true: simulated models are listed (and labelled). */
  includeSimulated?: boolean;
}

export interface ModelRow {
  model: CatalogModel;
  deployment: CatalogDeployment;
  /** Blended USD per million tokens; undefined when unpriced. */
  blended: number | undefined;
}

function within(list: readonly string[] | undefined, value: string): boolean {
  return !list || list.length === 0 || list.some((item) => item.toLowerCase() === value.toLowerCase());
}

function modelPasses(model: CatalogModel, filter: ModelFilter): boolean {
  if (filter.includeSimulated === false && model.simulated) return false;
  if (filter.family && filter.family.length > 0 && !filter.family.includes(model.family)) return false;
  if (!within(filter.vendor, model.vendor) || !within(filter.jurisdiction, model.jurisdiction)) return false;
  if (filter.openWeights !== undefined && model.openWeights !== filter.openWeights) return false;
  if (filter.minContext !== undefined && model.contextWindow < filter.minContext) return false;
  return (filter.supports ?? []).every((name) => model.capabilities[capabilityNames[name]]);
}

function deploymentPasses(deployment: CatalogDeployment, filter: ModelFilter): boolean {
  if (!within(filter.region, deployment.region) || !within(filter.residency, deployment.dataResidency)) return false;
  if (filter.maxInputPrice !== undefined && (!deployment.price || deployment.price.input > filter.maxInputPrice)) return false;
  return true;
}

export function filterModels(models: readonly CatalogModel[], filter: ModelFilter = {}): ModelRow[] {
  const rows: ModelRow[] = [];
  for (const model of models) {
    if (!modelPasses(model, filter)) continue;
    for (const deployment of model.deployments) {
      if (deploymentPasses(deployment, filter)) rows.push({ model, deployment, blended: blendedPrice(deployment.price) });
    }
  }
  return rows.sort(byPrice);
}

function byPrice(a: ModelRow, b: ModelRow): number {
  if (a.blended === undefined || b.blended === undefined) {
    if (a.blended !== b.blended) return a.blended === undefined ? 1 : -1;
  } else if (a.blended !== b.blended) {
    return a.blended - b.blended;
  }
  return a.deployment.id.localeCompare(b.deployment.id);
}

/** Parses `tools,json_schema`; throws naming the unknown capability. */
export function parseCapabilities(list: string): CapabilityName[] {
  return list.split(',').map((item) => item.trim()).filter(Boolean).map((item) => {
    const name = item.toLowerCase().replace(/-/g, '_');
    if (!Object.hasOwn(capabilityNames, name)) {
      throw new Error(`unknown capability '${item}' (known: ${Object.keys(capabilityNames).join(', ')})`);
    }
    return name as CapabilityName;
  });
}

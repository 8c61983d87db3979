/**
 * The catalog's public surface: model and deployment facts, prices with provenance, token
 * estimates and cost arithmetic. The module-level lookups read the shipped catalog; pass a
 * Catalog from loadCatalog(path) around where another file is in use.
 */
import type { Catalog, DeploymentRef, ResolvedDeployment } from './catalog.js';
import { loadCatalog } from './load-catalog.js';
import type { CatalogDeployment, CatalogModel, PriceFact } from './schema.js';

export { Catalog, LOCAL_PRICE_SOURCE, type DeploymentRef, type ResolvedDeployment } from './catalog.js';
export { loadCatalog, clearCatalogCache, buildCatalog, validateCatalog, DEFAULT_CATALOG_PATH } from './load-catalog.js';
export {
  computeCost, estimateWorstCaseCost, usageFromStream, type CostBreakdown, type Prices,
} from './cost.js';
export {
  estimatePromptTokens, estimateTextTokens, countTextTokens, preloadTokenizers, tokenizerFor, type EncodingName, type TokenizerChoice,
} from './tokens.js';
export { blendedPrice } from './blended-price.js';
export { SIM_BASE_URL } from './sim-models.js';
export type {
  CatalogDeployment, CatalogModel, PriceFact, ModelFamily, Preset, Capabilities, Modality, CatalogFile,
} from './schema.js';

export function findModel(id: string, catalog: Catalog = loadCatalog()): CatalogModel | undefined {
  return catalog.findModel(id);
}

export function findDeployment(id: string, catalog: Catalog = loadCatalog()): CatalogDeployment | undefined {
  return catalog.findDeployment(id);
}

export function deploymentsOf(modelId: string, catalog: Catalog = loadCatalog()): CatalogDeployment[] {
  return catalog.deploymentsOf(modelId);
}

/**
 * Prices for a catalog deployment id, a model id (its first priced deployment), or a
 * runtime Deployment (matched by name, then catalogModel + provider/preset, then upstream
 * model id). Undefined means unpriced: report the cost as unknown, never as zero.
 */
export function pricesFor(target: string | DeploymentRef, catalog: Catalog = loadCatalog()): PriceFact | undefined {
  return typeof target === 'string' ? catalog.pricesFor(target) : catalog.pricesForDeployment(target);
}

/** Model, catalog deployment and price behind a runtime Deployment. */
export function resolveDeployment(ref: DeploymentRef, catalog: Catalog = loadCatalog()): ResolvedDeployment {
  return catalog.resolveDeployment(ref);
}

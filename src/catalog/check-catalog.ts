/**
 * `arbiter catalog check`: is the catalog valid, and which facts need attention? Errors make
 * the catalog unusable; warnings (stale prices, retired model ids) do not.
 */
import { buildCatalog, validateCatalog } from './load-catalog.js';
import { isLocalPreset } from './schema.js';

export interface CheckOptions {
  /** YYYY-MM-DD; injected so the result does not depend on the wall clock. */
  today: string;
  /** Prices read longer ago than this are stale. */
  maxAgeDays?: number;
}

export interface CheckWarning {
  kind: 'stale-price' | 'future-price' | 'retired';
  deploymentId: string;
  message: string;
}

export interface CheckResult {
  errors: string[];
  warnings: CheckWarning[];
  stats: { models: number; deployments: number; priced: number; unpriced: number; stale: number };
}

const DAY_MS = 86_400_000;

function daysBetween(from: string, to: string): number {
  return Math.floor((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

export function checkCatalog(raw: unknown, options: CheckOptions): CheckResult {
  const maxAgeDays = options.maxAgeDays ?? 90;
  const result: CheckResult = { errors: [], warnings: [], stats: { models: 0, deployments: 0, priced: 0, unpriced: 0, stale: 0 } };
  const validation = validateCatalog(raw);
  if (!validation.ok) {
    result.errors.push(...validation.issues);
    return result;
  }
  try {
    buildCatalog(validation.file, { today: options.today });
  } catch (error) {
    result.errors.push((error as Error).message);
  }
  for (const model of validation.file.models) {
    result.stats.models += 1;
    for (const deployment of model.deployments) {
      result.stats.deployments += 1;
      if (deployment.deprecationDate && deployment.deprecationDate <= options.today) {
        result.warnings.push({ kind: 'retired', deploymentId: deployment.id, message: `${deployment.id}: host retired '${deployment.upstreamModel}' on ${deployment.deprecationDate}` });
      }
      const price = deployment.price;
      if (!price) {
        result.stats.unpriced += 1;
        continue;
      }
      result.stats.priced += 1;
      // Local servers are free by definition and simulated prices come from the slate.
      const ages = !(deployment.simulated || model.simulated || isLocalPreset(deployment.preset));
      const age = daysBetween(price.asOf, options.today);
      if (age < 0) {
        result.warnings.push({ kind: 'future-price', deploymentId: deployment.id, message: `${deployment.id}: price dated ${price.asOf}, after today (${options.today})` });
      } else if (ages && age > maxAgeDays) {
        result.stats.stale += 1;
        result.warnings.push({ kind: 'stale-price', deploymentId: deployment.id, message: `${deployment.id}: price is ${age} days old (as of ${price.asOf}, source ${price.source}); re-check it` });
      }
    }
  }
  return result;
}

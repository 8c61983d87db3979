/**
 * `arbiter catalog import`: compares the catalog's prices with a LiteLLM price map and
 * rewrites the changed ones in place (comments and layout of the YAML file kept), each
 * stamped with the map as its source and the import's as-of date.
 */
import { isMap, isScalar, parseDocument, Scalar, type Document } from 'yaml';
import { findLiteLLMPrice, type LiteLLMIndex, type LiteLLMPrice } from './litellm-prices.js';
import { isLocalPreset, type CatalogFile, type PriceFact } from './schema.js';

export type PriceChangeKind = 'added' | 'changed' | 'refreshed' | 'unchanged';

export interface PriceChange {
  kind: PriceChangeKind;
  deploymentId: string;
  modelIndex: number;
  deploymentIndex: number;
  liteLLMKey: string;
  before: PriceFact | undefined;
  after: PriceFact;
  /** The map's retirement date for this model id, when it gives one. */
  deprecationDate?: string;
}

export interface ImportPlan {
  changes: PriceChange[];
  /** Deployments the map has no priced entry for (their prices stay as they are). */
  unmatched: string[];
  /** Simulated and local deployments, never priced from a vendor map. */
  skipped: string[];
}

export interface ImportOptions {
  /** How the map is named in `source`, e.g. its path; each price gets `#<entry key>`. */
  sourceLabel: string;
  asOf: string;
}

const numericFields = ['input', 'cachedInput', 'cacheWrite', 'output'] as const;

function toFact(price: LiteLLMPrice, options: ImportOptions): PriceFact {
  const fact: PriceFact = { input: price.input, output: price.output, source: `${options.sourceLabel}#${price.key}`, asOf: options.asOf };
  if (price.cachedInput !== undefined) fact.cachedInput = price.cachedInput;
  if (price.cacheWrite !== undefined) fact.cacheWrite = price.cacheWrite;
  if (price.tierNote) fact.note = price.tierNote;
  return fact;
}

function classify(before: PriceFact | undefined, after: PriceFact): PriceChangeKind {
  if (!before) return 'added';
  if (numericFields.some((field) => before[field] !== after[field])) return 'changed';
  if (before.source !== after.source || before.asOf !== after.asOf || before.note !== after.note) return 'refreshed';
  return 'unchanged';
}

/** Pure: what an import would change. */
export function planPriceImport(file: CatalogFile, index: LiteLLMIndex, options: ImportOptions): ImportPlan {
  const plan: ImportPlan = { changes: [], unmatched: [], skipped: [] };
  file.models.forEach((model, modelIndex) => {
    model.deployments.forEach((deployment, deploymentIndex) => {
      if (deployment.simulated || model.simulated || isLocalPreset(deployment.preset)) {
        plan.skipped.push(deployment.id);
        return;
      }
      const price = findLiteLLMPrice(index, deployment);
      if (!price) {
        plan.unmatched.push(deployment.id);
        return;
      }
      const after = toFact(price, options);
      let kind = classify(deployment.price, after);
      if (kind === 'unchanged' && price.deprecationDate && price.deprecationDate !== deployment.deprecationDate) kind = 'refreshed';
      plan.changes.push({
        kind, deploymentId: deployment.id, modelIndex, deploymentIndex, liteLLMKey: price.key, before: deployment.price, after,
        ...(price.deprecationDate ? { deprecationDate: price.deprecationDate } : {}),
      });
    });
  });
  return plan;
}

/** One line per priced field that moved: `input 2.5 -> 2.75`. */
export function describeChange(change: PriceChange): string {
  if (change.kind === 'added') {
    return `${change.deploymentId}: unpriced -> ${formatFact(change.after)} (${change.liteLLMKey})`;
  }
  const moved = numericFields
    .filter((field) => change.before?.[field] !== change.after[field])
    .map((field) => `${field} ${change.before?.[field] ?? '-'} -> ${change.after[field] ?? '-'}`);
  const detail = moved.length > 0 ? moved.join(', ') : `source/date -> ${change.after.source} @ ${change.after.asOf}`;
  return `${change.deploymentId}: ${detail} (${change.liteLLMKey})`;
}

function formatFact(price: PriceFact): string {
  const cached = price.cachedInput !== undefined ? `, cached ${price.cachedInput}` : '';
  return `input ${price.input}${cached}, output ${price.output}`;
}

/**
 * Writes the changes into the catalog's YAML text, keeping every comment and untouched
 * line. Throws if the document's shape does not match the plan (edited meanwhile).
 */
export function applyPriceImport(yamlText: string, changes: readonly PriceChange[]): string {
  const doc = parseDocument(yamlText);
  for (const change of changes) {
    if (change.kind === 'unchanged') continue;
    const path = ['models', change.modelIndex, 'deployments', change.deploymentIndex];
    const deployment = doc.getIn(path, true);
    if (!isMap(deployment) || deployment.get('id') !== change.deploymentId) {
      throw new Error(`catalog changed under the import: ${change.deploymentId} is no longer at models[${change.modelIndex}].deployments[${change.deploymentIndex}]`);
    }
    if (change.deprecationDate) deployment.set('deprecationDate', change.deprecationDate);
    deployment.set('price', priceNode(doc, change.after));
  }
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

function priceNode(doc: Document, price: PriceFact): unknown {
  // Fixed key order so diffs stay readable.
  const ordered: Record<string, number | string> = { input: price.input };
  if (price.cachedInput !== undefined) ordered.cachedInput = price.cachedInput;
  if (price.cacheWrite !== undefined) ordered.cacheWrite = price.cacheWrite;
  ordered.output = price.output;
  ordered.source = price.source;
  ordered.asOf = price.asOf;
  if (price.note) ordered.note = price.note;
  const node = doc.createNode(ordered);
  // Quote strings as the file does, so a date never reads as anything but a string.
  if (isMap(node)) {
    for (const item of node.items) {
      if (isScalar(item.value) && typeof item.value.value === 'string') item.value.type = Scalar.QUOTE_DOUBLE;
    }
  }
  return node;
}


/**
 * Reads the catalog file (YAML or JSON), validates it once, adds the simulator's models,
 * and caches the result per path.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { ArbiterError } from '../core/errors.js';
import { Catalog } from './catalog.js';
import { catalogFileSchema, type CatalogFile, type CatalogModel } from './schema.js';
import { buildSimModels } from './sim-models.js';

// Two levels up from both src/catalog/ (tsx) and dist/catalog/ (compiled) is the repo root.
export const DEFAULT_CATALOG_PATH = fileURLToPath(new URL('../../data/catalog/models.yaml', import.meta.url));

export type CatalogValidation =
  | { ok: true; file: CatalogFile }
  | { ok: false; issues: string[] };

/** Validates an already-parsed catalog document; issues name the offending path. */
export function validateCatalog(raw: unknown): CatalogValidation {
  const result = catalogFileSchema.safeParse(raw);
  if (result.success) return { ok: true, file: result.data };
  return { ok: false, issues: result.error.issues.map((issue) => `${describePath(raw, issue.path) || '(root)'}: ${issue.message}`) };
}

/** `models[3](gpt-4o).deployments[1](gpt-4o@openrouter).price.asOf`: indexes plus ids, for humans. */
function describePath(raw: unknown, path: ReadonlyArray<PropertyKey>): string {
  let node: unknown = raw;
  let out = '';
  for (const key of path) {
    node = node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined;
    if (typeof key === 'number') {
      const id = node !== null && typeof node === 'object' ? (node as Record<string, unknown>).id : undefined;
      out += typeof id === 'string' ? `[${key}](${id})` : `[${key}]`;
    } else {
      out += out === '' ? String(key) : `.${String(key)}`;
    }
  }
  return out;
}

export function readCatalogDocument(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ArbiterError('not_found', `Cannot read catalog ${path}: ${(error as Error).message}`);
  }
  try {
    return parseYaml(text);
  } catch (error) {
    throw new ArbiterError('invalid_request', `Catalog ${path} is not valid YAML/JSON: ${(error as Error).message}`);
  }
}

/** Flattens a validated file into models whose deployments know their model, plus the sim slate. */
export function buildCatalog(file: CatalogFile, options: { source?: string; today?: string; includeSimulated?: boolean } = {}): Catalog {
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const models: CatalogModel[] = file.models.map(({ deployments, ...model }) => ({
    ...model,
    deployments: deployments.map((deployment) => ({ ...deployment, modelId: model.id })),
  }));
  if (options.includeSimulated !== false) {
    const taken = new Set(models.map((model) => model.id.toLowerCase()));
    for (const sim of buildSimModels(today)) {
      if (taken.has(sim.id.toLowerCase())) {
        throw new ArbiterError('invalid_request', `Catalog model '${sim.id}' collides with a simulated model of the same id`);
      }
      models.push(sim);
    }
  }
  return new Catalog(models, { source: options.source, today });
}

const cache = new Map<string, Catalog>();

/** The catalog at `path` (default: the shipped data/catalog/models.yaml), parsed once. */
export function loadCatalog(path: string = DEFAULT_CATALOG_PATH): Catalog {
  const key = resolve(path);
  const hit = cache.get(key);
  if (hit) return hit;
  const validation = validateCatalog(readCatalogDocument(key));
  if (!validation.ok) {
    throw new ArbiterError('invalid_request', `Invalid catalog ${path}:\n  ${validation.issues.slice(0, 20).join('\n  ')}`);
  }
  const catalog = buildCatalog(validation.file, { source: key });
  cache.set(key, catalog);
  return catalog;
}

/** Forgets parsed catalogs, e.g. after `arbiter catalog import --write`. */
export function clearCatalogCache(): void {
  cache.clear();
}

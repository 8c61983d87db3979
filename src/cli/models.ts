/** `arbiter models`: the catalog as a table (or JSON), filtered and sorted by price. */
import type { Command } from 'commander';
import { loadCatalog } from '../catalog/index.js';
import { filterModels, parseCapabilities, type ModelFilter, type ModelRow } from '../catalog/filter-models.js';
import { modelFamilySchema, type ModelFamily } from '../catalog/schema.js';
import { loadCliConfig } from './load-cli-config.js';
import { identificationFor, readIdentifications, renderIdentifications } from './identified-deployments.js';

interface ModelsOptions {
  family?: string;
  vendor?: string;
  jurisdiction?: string;
  openWeights?: string;
  region?: string;
  residency?: string;
  supports?: string;
  maxInputPrice?: string;
  minContext?: string;
  simulated?: boolean;
  catalog?: string;
  json?: boolean;
  config?: string;
  db?: string;
}

function list(value: string | undefined): string[] | undefined {
  return value ? value.split(',').map((item) => item.trim()).filter(Boolean) : undefined;
}

function number(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value.replace(/_/g, '').replace(/k$/i, '000'));
  if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`${flag} needs a non-negative number, got '${value}'`);
  return parsed;
}

function yesNo(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (/^(yes|true|1|y)$/i.test(value)) return true;
  if (/^(no|false|0|n)$/i.test(value)) return false;
  throw new Error(`--open-weights takes yes or no, got '${value}'`);
}

function families(value: string | undefined): ModelFamily[] | undefined {
  return list(value)?.map((item) => {
    const parsed = modelFamilySchema.safeParse(item);
    if (!parsed.success) throw new Error(`unknown family '${item}' (known: ${modelFamilySchema.options.join(', ')})`);
    return parsed.data;
  });
}

/** Turns CLI flags into the pure filter; throws on a malformed flag. */
export function toModelFilter(options: ModelsOptions): ModelFilter {
  return {
    family: families(options.family),
    vendor: list(options.vendor),
    jurisdiction: list(options.jurisdiction),
    openWeights: yesNo(options.openWeights),
    region: list(options.region),
    residency: list(options.residency),
    supports: options.supports ? parseCapabilities(options.supports) : undefined,
    maxInputPrice: number(options.maxInputPrice, '--max-input-price'),
    minContext: number(options.minContext, '--min-context'),
    includeSimulated: options.simulated !== false,
  };
}

function usd(value: number | undefined): string {
  return value === undefined ? '-' : `$${value < 0.1 && value > 0 ? value.toPrecision(2) : value.toFixed(2)}`;
}

function caps(row: ModelRow): string {
  const c = row.model.capabilities;
  return [c.tools && 'tools', c.parallelTools && 'parallel', c.jsonSchema && 'json_schema', c.reasoning && 'reasoning', c.vision && 'vision']
    .filter(Boolean).join(',');
}

function contextLabel(tokens: number): string {
  return tokens >= 1_000_000 ? `${Math.round(tokens / 100_000) / 10}M` : `${Math.round(tokens / 1000)}k`;
}

function tableRows(rows: ModelRow[]): string[][] {
  return rows.map(({ model, deployment, blended }) => [
    model.simulated ? `${model.id} [SIMULATED]` : model.id,
    deployment.id,
    model.family,
    model.vendor,
    model.jurisdiction,
    model.openWeights ? 'yes' : 'no',
    `${deployment.region}/${deployment.dataResidency}`,
    contextLabel(model.contextWindow),
    deployment.price ? usd(deployment.price.input) : 'unpriced',
    usd(deployment.price?.cachedInput),
    usd(deployment.price?.output),
    usd(blended),
    caps({ model, deployment, blended }),
  ]);
}

function render(header: string[], body: string[][]): string {
  const widths = header.map((title, i) => Math.max(title.length, ...body.map((row) => row[i]?.length ?? 0)));
  const line = (cells: string[]): string => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), ...body.map(line)].join('\n');
}

function jsonRow({ model, deployment, blended }: ModelRow): Record<string, unknown> {
  const { deployments: _deployments, ...facts } = model;
  const { modelId: _modelId, ...deploymentFacts } = deployment;
  return { ...facts, simulated: model.simulated === true, deployment: deploymentFacts, blendedPrice: blended ?? null };
}

export function registerModelsCommand(program: Command): void {
  program
    .command('models')
    .description('List catalog models per deployment, cheapest first (simulated models are labelled)')
    .option('--family <list>', 'us-closed, eu-closed, cn-closed, us-eu-open, cn-open, local, simulated (comma-separated)')
    .option('--vendor <list>', 'vendor slugs, e.g. openai,deepseek')
    .option('--jurisdiction <list>', "vendor's home jurisdiction, e.g. US,FR,CN")
    .option('--open-weights <yes|no>', 'only open-weights (yes) or closed (no) models')
    .option('--region <list>', 'deployment region, e.g. us,eu,local')
    .option('--residency <list>', 'deployment data residency, e.g. US,EU,LOCAL')
    .option('--supports <list>', 'required capabilities: tools,parallel_tools,json_schema,reasoning,vision')
    .option('--max-input-price <usd>', 'USD per million input tokens at most (unpriced rows excluded)')
    .option('--min-context <tokens>', 'context window at least this many tokens (128k works)')
    .option('--no-simulated', 'hide simulated models')
    .option('--catalog <path>', 'catalog file (default: data/catalog/models.yaml)')
    .option('--json', 'print JSON for scripts')
    .option('-c, --config <file>', 'config file whose storage holds identifications (default: ./arbiter.yaml)')
    .option('--db <url>', 'store URL to read identifications from (default: the config storage.url)')
    .action(async (options: ModelsOptions) => {
      const catalog = loadCatalog(options.catalog);
      const rows = filterModels(catalog.models, toModelFilter(options));
      const identified = await readIdentifications(options.db ?? loadCliConfig(options.config).storage.url);
      if (options.json) {
        console.log(JSON.stringify(rows.map((row) => {
          const identification = identificationFor(identified, row.deployment.id, row.model.id);
          return identification ? { ...jsonRow(row), identification } : jsonRow(row);
        }), null, 2));
        return;
      }
      const header = ['MODEL', 'DEPLOYMENT', 'FAMILY', 'VENDOR', 'JUR', 'OPEN', 'REGION/RES', 'CTX', 'IN $/M', 'CACHED', 'OUT $/M', 'BLEND', 'CAPABILITIES'];
      console.log(render(header, tableRows(rows)));
      const simulated = rows.filter((row) => row.model.simulated).length;
      console.log(`\n${rows.length} deployments of ${new Set(rows.map((row) => row.model.id)).size} models` +
        (simulated > 0 ? `; ${simulated} SIMULATED (not real models: their results say nothing about any vendor)` : '') +
        '. Prices: USD per million tokens; BLEND = (3 x input + output) / 4.');
      if (identified.length > 0) console.log(`\n${renderIdentifications(identified)}`);
    });
}

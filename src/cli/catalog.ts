/**
 * `arbiter catalog check` validates the catalog and flags stale prices;
 * `arbiter catalog import FILE` refreshes prices from a LiteLLM price map.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { checkCatalog } from '../catalog/check-catalog.js';
import { applyPriceImport, describeChange, planPriceImport } from '../catalog/import-prices.js';
import { parseLiteLLMPrices } from '../catalog/litellm-prices.js';
import { DEFAULT_CATALOG_PATH, clearCatalogCache, readCatalogDocument, validateCatalog } from '../catalog/load-catalog.js';
import { isoDateSchema } from '../catalog/schema.js';

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

function date(value: string | undefined, flag: string): string {
  if (value === undefined) return today();
  if (!isoDateSchema.safeParse(value).success) throw new Error(`${flag} needs a date YYYY-MM-DD, got '${value}'`);
  return value;
}

interface CheckFlags { catalog?: string; maxAgeDays?: string; today?: string; strict?: boolean; verbose?: boolean }
interface ImportFlags { catalog?: string; write?: boolean; asOf?: string; source?: string; verbose?: boolean }

function runCheck(flags: CheckFlags): void {
  const path = flags.catalog ?? DEFAULT_CATALOG_PATH;
  const maxAgeDays = flags.maxAgeDays === undefined ? 90 : Number(flags.maxAgeDays);
  if (!Number.isInteger(maxAgeDays) || maxAgeDays < 0) throw new Error(`--max-age-days needs a whole number, got '${flags.maxAgeDays}'`);
  const result = checkCatalog(readCatalogDocument(path), { today: date(flags.today, '--today'), maxAgeDays });
  for (const error of result.errors) console.error(`error: ${error}`);
  const stale = result.warnings.filter((warning) => warning.kind === 'stale-price');
  for (const warning of result.warnings) {
    if (warning.kind !== 'stale-price' || flags.verbose) console.warn(`warning: ${warning.message}`);
  }
  if (stale.length > 0 && !flags.verbose) {
    console.warn(`warning: ${stale.length} prices are older than ${maxAgeDays} days (re-check them, e.g. with 'arbiter catalog import'); --verbose lists them`);
  }
  const { models, deployments, priced, unpriced } = result.stats;
  if (result.errors.length > 0) {
    console.error(`${path}: INVALID (${result.errors.length} errors)`);
    process.exitCode = 1;
    return;
  }
  console.log(`${path}: ok: ${models} models, ${deployments} deployments (${priced} priced, ${unpriced} unpriced); ` +
    `${stale.length} prices older than ${maxAgeDays} days; ${result.warnings.length} warnings`);
  if (flags.strict && result.warnings.length > 0) process.exitCode = 2;
}

function runImport(file: string, flags: ImportFlags): void {
  const path = flags.catalog ?? DEFAULT_CATALOG_PATH;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read LiteLLM price map ${file}: ${(error as Error).message}`);
  }
  const index = parseLiteLLMPrices(raw);
  const validation = validateCatalog(readCatalogDocument(path));
  if (!validation.ok) throw new Error(`catalog ${path} is invalid; run 'arbiter catalog check' first:\n  ${validation.issues.slice(0, 10).join('\n  ')}`);
  const plan = planPriceImport(validation.file, index, { sourceLabel: flags.source ?? file, asOf: date(flags.asOf, '--as-of') });

  const count = (kind: string): number => plan.changes.filter((change) => change.kind === kind).length;
  for (const change of plan.changes) {
    if (change.kind === 'added' || change.kind === 'changed' || (flags.verbose && change.kind === 'refreshed')) {
      console.log(`${change.kind.padEnd(9)} ${describeChange(change)}`);
    }
  }
  if (flags.verbose) for (const id of plan.unmatched) console.log(`no entry  ${id} (price left as is)`);
  console.log(`\n${index.byKey.size} priced entries read (${index.skipped} skipped). ` +
    `${count('changed')} changed, ${count('added')} newly priced, ${count('refreshed')} re-dated, ${count('unchanged')} unchanged, ` +
    `${plan.unmatched.length} without an entry, ${plan.skipped.length} local/simulated skipped.`);
  if (!flags.write) {
    console.log('Dry run: pass --write to update the catalog.');
    return;
  }
  const updated = applyPriceImport(readFileSync(path, 'utf8'), plan.changes);
  // Validate what would land before writing it.
  const check = validateCatalog(parseYaml(updated));
  if (!check.ok) throw new Error(`import would make the catalog invalid; nothing written:\n  ${check.issues.slice(0, 10).join('\n  ')}`);
  writeFileSync(path, updated);
  clearCatalogCache();
  console.log(`Wrote ${path}.`);
}

export function registerCatalogCommand(program: Command): void {
  const catalog = program.command('catalog').description('Validate the model catalog and refresh its prices');
  catalog
    .command('check')
    .description('Validate the catalog; warn about prices older than --max-age-days and retired model ids')
    .option('--catalog <path>', 'catalog file (default: data/catalog/models.yaml)')
    .option('--max-age-days <days>', 'a price older than this is stale', '90')
    .option('--today <date>', 'evaluate staleness as of this date (YYYY-MM-DD)')
    .option('--strict', 'exit 2 when there are warnings')
    .option('--verbose', 'list every stale price')
    .action((flags: CheckFlags) => runCheck(flags));
  catalog
    .command('import')
    .argument('<file>', "LiteLLM price map (model_prices_and_context_window.json)")
    .description('Update matching deployments\' prices from a LiteLLM price map (dry run unless --write)')
    .option('--catalog <path>', 'catalog file (default: data/catalog/models.yaml)')
    .option('--as-of <date>', 'date the prices were read (default: today)')
    .option('--source <label>', 'how to name the map in each price source (default: FILE as given)')
    .option('--write', 'write the updated catalog')
    .option('--verbose', 'also list re-dated prices and deployments without an entry')
    .action((file: string, flags: ImportFlags) => runImport(file, flags));
}

#!/usr/bin/env node
// Fails when an import points outward (see the layout in README): core imports nothing of
// ours, nothing imports gateway or cli. Tests may reach across layers to wire real pieces.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';

const allowed = {
  core: ['core'],
  config: ['core', 'config'],
  telemetry: ['core', 'telemetry'],
  store: ['core', 'config', 'telemetry', 'store'],
  providers: ['core', 'config', 'telemetry', 'providers'],
  sim: ['core', 'config', 'telemetry', 'sim'],
  catalog: ['core', 'config', 'telemetry', 'catalog'],
  router: ['core', 'config', 'telemetry', 'catalog', 'router'],
  controls: ['core', 'config', 'telemetry', 'store', 'catalog', 'controls'],
  evals: ['core', 'config', 'telemetry', 'store', 'catalog', 'evals'],
  identify: ['core', 'config', 'telemetry', 'store', 'catalog', 'identify'],
  runtime: ['core', 'config', 'telemetry', 'store', 'catalog', 'providers', 'sim', 'router', 'controls', 'evals', 'runtime'],
  gateway: ['core', 'config', 'telemetry', 'store', 'catalog', 'providers', 'sim', 'router', 'controls', 'evals', 'runtime', 'gateway'],
  cli: null,
};
// Data-only modules any layer may read.
const shared = new Set(['sim/slate.ts']);

const root = resolve('src');
const problems = [];
function walk(dir) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) walk(path);
    else if (path.endsWith('.ts') && !path.endsWith('.test.ts') && !path.endsWith('.d.ts') && !path.includes('test-support')) check(path);
  }
}
function layerOf(path) {
  return relative(root, path).split(sep)[0];
}
function check(file) {
  const layer = layerOf(file);
  const permitted = allowed[layer];
  if (permitted === null) return;
  if (permitted === undefined) {
    problems.push(`${relative('.', file)}: folder src/${layer} has no layer rule in scripts/check-layers.mjs`);
    return;
  }
  const text = readFileSync(file, 'utf8');
  for (const match of text.matchAll(/(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)) {
    const spec = match[1] ?? match[2];
    const target = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
    const rel = relative(root, target).split(sep).join('/');
    if (rel.startsWith('..')) continue;
    const targetLayer = rel.split('/')[0];
    if (!permitted.includes(targetLayer) && !shared.has(rel)) {
      problems.push(`${relative('.', file)}: ${layer} must not import ${rel}`);
    }
  }
}
walk(root);
if (problems.length > 0) {
  console.error(`Layering violations (imports must point inward):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('layers ok');

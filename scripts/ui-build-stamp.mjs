#!/usr/bin/env node
// The dashboard's built assets are committed (npm start needs no build); this stamps the
// build with a hash of the sources it came from, and `check` fails when they have changed
// since (a test runs it), so a stale build cannot be committed unnoticed.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const inputs = ['ui/src', 'ui/index.html', 'ui/vite.config.ts', 'ui/tsconfig.json'];
const stampFile = join(root, 'ui/build/source-hash.txt');

function files(path) {
  const full = join(root, path);
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full).sort().flatMap((entry) => files(join(path, entry)));
}

export function sourceHash() {
  const hash = createHash('sha256');
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  // The bundle also depends on the front-end packages' exact versions.
  for (const name of ['preact', 'uplot', 'vite']) hash.update(`${name}@${lock.packages?.[`node_modules/${name}`]?.version}\n`);
  for (const file of inputs.flatMap(files)) {
    hash.update(`${relative(root, join(root, file))}\n`);
    hash.update(readFileSync(join(root, file)));
  }
  return hash.digest('hex');
}

const mode = process.argv[2];
if (mode === 'write') {
  writeFileSync(stampFile, `${sourceHash()}\n`);
} else if (mode === 'check') {
  let stamped = '';
  try { stamped = readFileSync(stampFile, 'utf8').trim(); } catch { /* missing: stale */ }
  if (stamped !== sourceHash()) {
    console.error('ui/build is stale: the dashboard sources changed since it was built. Run `npm run build:ui` and commit ui/build.');
    process.exit(1);
  }
}

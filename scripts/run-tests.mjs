#!/usr/bin/env node
// Finds every *.test.ts under src/ and test/ and runs them with node's own test runner
// (Node 20 has no glob support in --test), through tsx so no build is needed.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';

const roots = ['src', 'test'];
const filters = process.argv.slice(2);
const files = [];
function walk(dir) {
  let entries;
  try { entries = readdirSync(dir); } catch { return; }
  for (const entry of entries) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) walk(path);
    else if (entry.endsWith('.test.ts') && (filters.length === 0 || filters.some((f) => path.includes(f)))) files.push(path);
  }
}
roots.forEach(walk);
files.sort();
const child = spawn(process.execPath, [
  '--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', '--test-timeout=120000', ...files,
], { stdio: 'inherit', env: { ...process.env, ARBITER_LOG_LEVEL: process.env.ARBITER_LOG_LEVEL ?? 'silent' } });
child.on('exit', (code, signal) => process.exit(signal ? 1 : code ?? 1));

import { existsSync } from 'node:fs';
import { loadConfigFile, parseConfig } from '../config/load.js';
import type { ArbiterConfig } from '../config/schema.js';

/** The config named on the command line, else ./arbiter.yaml if present, else the defaults. */
export function loadCliConfig(path: string | undefined): ArbiterConfig {
  if (path) return loadConfigFile(path);
  if (existsSync('arbiter.yaml')) return loadConfigFile('arbiter.yaml');
  return parseConfig({});
}

import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { ArbiterError } from '../core/errors.js';
import { formatParamPath } from '../core/chat-request.js';
import { interpolateEnv, type Env } from './interpolate.js';
import { configSchema, type ArbiterConfig } from './schema.js';

/** Validates an already-parsed config object (after `${ENV}` interpolation). */
export function parseConfig(raw: unknown, env: Env = process.env): ArbiterConfig {
  const result = configSchema.safeParse(interpolateEnv(raw ?? {}, env));
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${formatParamPath(issue.path) || '(root)'}: ${issue.message}`);
    throw new ArbiterError('invalid_request', `Invalid config:\n${lines.join('\n')}`);
  }
  return result.data;
}

export function loadConfigFile(path: string, env: Env = process.env): ArbiterConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ArbiterError('not_found', `Cannot read config file ${path}: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new ArbiterError('invalid_request', `Config file ${path} is not valid YAML: ${(error as Error).message}`);
  }
  return parseConfig(raw, env);
}

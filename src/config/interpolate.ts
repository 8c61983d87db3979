/**
 * `${VAR}` and `${VAR:-default}` interpolation over every string in a parsed YAML tree, so
 * keys live in the environment and never in the file.
 */
import { ownValue } from '../core/own-property.js';

export type Env = Record<string, string | undefined>;

const pattern = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export function interpolateString(value: string, env: Env): string {
  return value.replace(pattern, (_m, name: string, fallback: string | undefined) => ownValue(env, name) ?? fallback ?? '');
}

export function interpolateEnv(value: unknown, env: Env): unknown {
  if (typeof value === 'string') return interpolateString(value, env);
  if (Array.isArray(value)) return value.map((item) => interpolateEnv(item, env));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    // Defined, not assigned: a `__proto__` key in the file stays a key (and the schema names it).
    for (const [key, item] of Object.entries(value)) Object.defineProperty(out, key, { value: interpolateEnv(item, env), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

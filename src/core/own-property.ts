/**
 * Lookups keyed by names a client (or a config file) chose. `record[name]` on a plain object
 * also finds Object.prototype's members: `__proto__`, `constructor` or `toString` as a model
 * or route name found a function or the prototype itself and crashed the request. Only own
 * properties count here.
 */

/** The record's own value under `key`, never an inherited one. */
export function ownValue<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

/**
 * A copy without a prototype, for maps loaded once and read by name (config routes): any name
 * finds only what was put there. Assigned, not spread, so an own `__proto__` key stays a key.
 */
export function nullPrototype<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  const copy = Object.create(null) as Record<string, T>;
  for (const key of Object.keys(record)) Object.defineProperty(copy, key, { value: record[key], enumerable: true, writable: true, configurable: true });
  return copy;
}

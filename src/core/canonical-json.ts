/**
 * Canonical JSON, the one encoding every hash in Arbiter is taken over (response cache keys,
 * eval request hashes, audit prompt hashes): object keys sorted at every depth, undefined
 * members dropped, so equal values built in another key order hash the same. It runs on every
 * request and every eval task, so it builds one string with plain loops rather than entry
 * arrays, filters and joins.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let index = 0; index < value.length; index++) {
      if (index > 0) out += ',';
      const item: unknown = value[index];
      out += item === undefined ? 'null' : canonicalJson(item);
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  // The default sort compares UTF-16 code units: a stable order for any key.
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += `${JSON.stringify(key)}:${canonicalJson(member)}`;
  }
  return `${out}}`;
}

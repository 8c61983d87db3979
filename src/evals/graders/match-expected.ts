/**
 * Compares extracted JSON with the expected JSON field by field. Numbers match within a
 * relative tolerance (1e-6, so 1339.2 and 1339.20 are one value); strings match after Unicode
 * normalisation (NFKC), case folding and whitespace collapsing; arrays match in order, or as
 * a multiset when the order differs; objects match on the expected keys (a missing key counts
 * as null). Every leaf is counted so the score is the fraction of fields right.
 */
export interface FieldMatch {
  matched: number;
  total: number;
  mismatches: string[];
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

export function numbersClose(actual: number, expected: number, tolerance = 1e-6): boolean {
  return Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected));
}

function leafEqual(actual: unknown, expected: unknown): boolean {
  if (typeof expected === 'number') return typeof actual === 'number' && numbersClose(actual, expected);
  if (typeof expected === 'string') return typeof actual === 'string' && normalizeText(actual) === normalizeText(expected);
  return actual === expected || (expected === null && actual === undefined);
}

function countLeaves(expected: unknown): number {
  if (Array.isArray(expected)) return Math.max(1, expected.reduce((sum: number, item) => sum + countLeaves(item), 0));
  if (isObject(expected)) return Math.max(1, Object.values(expected).reduce((sum: number, item) => sum + countLeaves(item), 0));
  return 1;
}

export function matchExpected(actual: unknown, expected: unknown, path = '$'): FieldMatch {
  if (isObject(expected)) {
    if (!isObject(actual)) return { matched: 0, total: countLeaves(expected), mismatches: [`${path}: expected an object`] };
    const result: FieldMatch = { matched: 0, total: 0, mismatches: [] };
    const keys = Object.keys(expected);
    if (keys.length === 0) return { matched: 1, total: 1, mismatches: [] };
    for (const key of keys) {
      const inner = matchExpected(actual[key], expected[key], `${path}.${key}`);
      result.matched += inner.matched;
      result.total += inner.total;
      result.mismatches.push(...inner.mismatches);
    }
    return result;
  }
  if (Array.isArray(expected)) return matchArray(actual, expected, path);
  const ok = leafEqual(actual, expected);
  return { matched: ok ? 1 : 0, total: 1, mismatches: ok ? [] : [`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`] };
}

function matchArray(actual: unknown, expected: unknown[], path: string): FieldMatch {
  const total = countLeaves(expected);
  if (!Array.isArray(actual)) return { matched: 0, total, mismatches: [`${path}: expected an array`] };
  if (expected.length === 0) {
    const ok = actual.length === 0;
    return { matched: ok ? 1 : 0, total: 1, mismatches: ok ? [] : [`${path}: expected an empty array`] };
  }
  const ordered: FieldMatch = { matched: 0, total, mismatches: [] };
  expected.forEach((item, index) => {
    const inner = matchExpected(actual[index], item, `${path}[${index}]`);
    ordered.matched += inner.matched;
    ordered.mismatches.push(...inner.mismatches);
  });
  if (actual.length !== expected.length) ordered.mismatches.push(`${path}: expected ${expected.length} items, got ${actual.length}`);
  if (ordered.mismatches.length === 0) return ordered;
  // Same items in another order still match (tags, skills...): greedy one-to-one pairing.
  if (actual.length === expected.length) {
    const used = new Set<number>();
    const paired = expected.every((item) => {
      const index = actual.findIndex((candidate, i) => !used.has(i) && matchExpected(candidate, item).mismatches.length === 0);
      if (index < 0) return false;
      used.add(index);
      return true;
    });
    if (paired) return { matched: total, total, mismatches: [] };
  }
  return ordered;
}

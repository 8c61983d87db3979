/**
 * Deterministic subsets: the first `limit` items, or with a seed a seeded sample (a partial
 * Fisher-Yates shuffle driven by mulberry32, seeded from a SHA-256 of the seed) returned in the
 * suite's own order so reports stay readable. Same seed, same items, on every machine.
 */
import { createHash } from 'node:crypto';

export function seededRandom(seed: number | string): () => number {
  let state = createHash('sha256').update(String(seed)).digest().readUInt32BE(0);
  // mulberry32 (Tommy Ettinger, public domain): small, fast, and good enough for sampling.
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

export function sampleItems<T>(items: readonly T[], options: { limit?: number; seed?: number | string }): T[] {
  const limit = options.limit === undefined ? items.length : Math.max(0, Math.floor(options.limit));
  if (limit >= items.length && options.seed === undefined) return [...items];
  if (options.seed === undefined) return items.slice(0, limit);
  const random = seededRandom(options.seed);
  const indices = items.map((_, index) => index);
  const take = Math.min(limit, indices.length);
  for (let i = 0; i < take; i += 1) {
    const j = i + Math.floor(random() * (indices.length - i));
    [indices[i], indices[j]] = [indices[j] as number, indices[i] as number];
  }
  return indices.slice(0, take).sort((a, b) => a - b).map((index) => items[index] as T);
}

/**
 * Round-robin over groups (in order of first appearance), each group in its own order, so a
 * first-N subset covers every group instead of only the first one.
 */
export function interleaveBy<T>(items: readonly T[], groupOf: (item: T) => string): T[] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = groupOf(item);
    const list = groups.get(key) ?? [];
    list.push(item);
    groups.set(key, list);
  }
  const queues = [...groups.values()];
  const out: T[] = [];
  for (let round = 0; out.length < items.length; round += 1) {
    for (const queue of queues) {
      if (round < queue.length) out.push(queue[round] as T);
    }
  }
  return out;
}

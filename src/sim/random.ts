/**
 * Seeded, deterministic randomness for the simulator: string hashes (FNV-1a with a final
 * avalanche) mapped to [0, 1), and a small mulberry32 generator. Never Math.random, so the
 * same request and seed always give the same answer, latency and faults.
 */

/** 32-bit FNV-1a over the UTF-16 code units, with a murmur-style final mix. */
export function hashString(text: string, basis = 0x811c9dc5): number {
  let hash = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** A 32-bit hash of several parts (joined unambiguously). */
export function hashParts(...parts: ReadonlyArray<string | number>): number {
  let hash = 0x811c9dc5;
  for (const part of parts) hash = hashString(`${String(part)}\u0001`, hash);
  return hash;
}

/** A uniform value in [0, 1) derived from the parts. */
export function unitHash(...parts: ReadonlyArray<string | number>): number {
  return hashParts(...parts) / 4294967296;
}

/** A seeded generator: next() in [0, 1). */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  /** A standard normal sample (Box-Muller). */
  normal(): number {
    const u = Math.max(this.next(), 1e-9);
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

/** A short hex id derived from the parts (for response and tool-call ids). */
export function hexId(length: number, ...parts: ReadonlyArray<string | number>): string {
  const rng = new SeededRandom(hashParts(...parts));
  let out = '';
  while (out.length < length) out += Math.floor(rng.next() * 4294967296).toString(16).padStart(8, '0');
  return out.slice(0, length);
}

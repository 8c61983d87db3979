/**
 * Exact BPE token counts for OpenAI's encodings (gpt-tokenizer), made safe for untrusted
 * text: it never throws, stays linear on pathological input, and caches counts of repeated
 * strings so a system prompt sent with every request is encoded once.
 */
import { createRequire } from 'node:module';

export type EncodingName = 'o200k_base' | 'cl100k_base';

interface SpecialTokenOptions { disallowedSpecial?: Set<string> }

interface Encoder {
  countTokens(text: string, options?: SpecialTokenOptions): number;
  encode(text: string, options?: SpecialTokenOptions): number[];
  decode(tokens: number[]): string;
}

// Loaded on first use through require(): importing the rank tables costs ~0.5 s, which a
// CLI listing models should not pay.
const requireModule = createRequire(import.meta.url);
const encoders = new Map<EncodingName, Encoder>();

function encoderFor(encoding: EncodingName): Encoder {
  let encoder = encoders.get(encoding);
  if (!encoder) {
    encoder = requireModule(`gpt-tokenizer/encoding/${encoding}`) as Encoder;
    encoders.set(encoding, encoder);
  }
  return encoder;
}

/**
 * The text cut to at most `maxTokens` tokens under `encoding`; `cut` says whether anything was
 * removed. Special-token text is plain text here too.
 */
export function truncateTextToTokens(text: string, maxTokens: number, encoding: EncodingName = 'o200k_base'): { text: string; cut: boolean } {
  if (countTextTokens(text, encoding) <= maxTokens) return { text, cut: false };
  const encoder = encoderFor(encoding);
  return { text: encoder.decode(encoder.encode(text, plainText).slice(0, Math.max(0, maxTokens))), cut: true };
}

/** Loads the rank tables now (about half a second) so the first request does not pay for it. */
export function preloadTokenizers(encodings: readonly EncodingName[] = ['o200k_base', 'cl100k_base']): void {
  for (const encoding of encodings) encoderFor(encoding);
}

// User text may contain "<|endoftext|>"; by default the library throws on special tokens.
// An empty disallow-list counts them as the plain text the API will also see.
const plainText: SpecialTokenOptions = { disallowedSpecial: new Set<string>() };

/**
 * BPE cost grows with the square of a pre-token's length (one 8,000-letter "word" takes
 * ~50 ms; a megabyte of it takes minutes). Long runs without whitespace are cut into
 * slices of this many characters; each cut can add about one token, a negligible error.
 */
const MAX_SLICE = 256;
/** Above this many characters the count is extrapolated from evenly spaced samples. */
const EXACT_LIMIT = 256_000;
const SAMPLE_WINDOWS = 32;
const SAMPLE_WINDOW = 4_096;

function countChunked(encoder: Encoder, text: string): number {
  let total = 0;
  let start = 0;
  let runStart = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // Whitespace resets the run: BPE pre-tokens never span it.
    if (code === 32 || code === 10 || code === 9 || code === 13) {
      runStart = i + 1;
      continue;
    }
    if (i - runStart >= MAX_SLICE) {
      let cut = i;
      // Keep UTF-16 surrogate pairs together.
      if (cut > start && isLowSurrogate(code)) cut -= 1;
      if (cut > start) {
        total += encoder.countTokens(text.slice(start, cut), plainText);
        start = cut;
      }
      runStart = cut;
    }
  }
  if (start < text.length) total += encoder.countTokens(text.slice(start), plainText);
  return total;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

function countSampled(encoder: Encoder, text: string): number {
  const stride = Math.floor((text.length - SAMPLE_WINDOW) / (SAMPLE_WINDOWS - 1));
  let sampledChars = 0;
  let sampledTokens = 0;
  for (let w = 0; w < SAMPLE_WINDOWS; w++) {
    const from = w * stride;
    const window = text.slice(from, from + SAMPLE_WINDOW);
    sampledChars += window.length;
    sampledTokens += countChunked(encoder, window);
  }
  return Math.ceil((sampledTokens / sampledChars) * text.length);
}

/**
 * Counts keyed by the string itself (V8 hashes a string once). Chat traffic repeats text: a
 * system prompt on every request, and every earlier turn of a conversation on each new one,
 * which without a cache is counted again per turn. A lookup is a small fraction of counting
 * even a short sentence (~1.5 µs here). Bounded by characters and by entries.
 */
const CACHE_MIN_CHARS = 16;
const CACHE_MAX_CHARS = 16_000_000;
const CACHE_MAX_ENTRIES = 100_000;
const caches = new Map<EncodingName, Map<string, number>>();
let cachedChars = 0;

function cacheFor(encoding: EncodingName): Map<string, number> {
  let cache = caches.get(encoding);
  if (!cache) {
    cache = new Map();
    caches.set(encoding, cache);
  }
  return cache;
}

function remember(cache: Map<string, number>, text: string, count: number): void {
  cache.set(text, count);
  cachedChars += text.length;
  while ((cachedChars > CACHE_MAX_CHARS || cache.size > CACHE_MAX_ENTRIES) && cache.size > 0) {
    const oldest = cache.keys().next();
    if (oldest.done) break;
    cache.delete(oldest.value);
    cachedChars -= oldest.value.length;
  }
}

/**
 * Tokens in `text` under `encoding` (default o200k_base, GPT-4o and later). Exact up to
 * 256k characters, a sampled estimate beyond; 0 for empty or non-string input.
 */
export function countTextTokens(text: string, encoding: EncodingName = 'o200k_base'): number {
  if (typeof text !== 'string' || text.length === 0) return 0;
  const cache = text.length >= CACHE_MIN_CHARS ? cacheFor(encoding) : undefined;
  const hit = cache?.get(text);
  if (cache && hit !== undefined) {
    // Refresh recency: Map iteration order is insertion order.
    cache.delete(text);
    cache.set(text, hit);
    return hit;
  }
  let count: number;
  try {
    const encoder = encoderFor(encoding);
    count = text.length > EXACT_LIMIT ? countSampled(encoder, text) : countChunked(encoder, text);
  } catch {
    // Never fail a request over an estimate: ~4 characters per token for English text.
    count = Math.ceil(text.length / 4);
  }
  if (cache) remember(cache, text, count);
  return count;
}

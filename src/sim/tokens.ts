/**
 * Token counts for usage figures: the o200k tokenizer from gpt-tokenizer, with a bounded
 * cache so the hot prompts of a benchmark are counted once.
 */
import { encode, decode } from 'gpt-tokenizer';

const cache = new Map<string, number>();
const CACHE_LIMIT = 10_000;

export function countTokens(text: string): number {
  if (text.length === 0) return 0;
  const cached = cache.get(text);
  if (cached !== undefined) return cached;
  const count = encode(text).length;
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, count);
  return count;
}

/** The text cut to at most `maxTokens` tokens; `cut` says whether anything was removed. */
export function truncateToTokens(text: string, maxTokens: number): { text: string; cut: boolean } {
  if (countTokens(text) <= maxTokens) return { text, cut: false };
  const tokens = encode(text).slice(0, Math.max(0, maxTokens));
  return { text: decode(tokens), cut: true };
}

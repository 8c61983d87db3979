/**
 * Token counts for the simulator's usage figures: the o200k tokenizer through the catalog's
 * hardened counter (special-token text counted as text, linear on pathological input), with a
 * bounded cache so the hot prompts of a benchmark are counted once.
 */
import { countTextTokens, truncateTextToTokens } from '../core/count-text-tokens.js';

const cache = new Map<string, number>();
const CACHE_LIMIT = 10_000;

export function countTokens(text: string): number {
  if (text.length === 0) return 0;
  const cached = cache.get(text);
  if (cached !== undefined) return cached;
  const count = countTextTokens(text);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, count);
  return count;
}

/** The text cut to at most `maxTokens` tokens; `cut` says whether anything was removed. */
export function truncateToTokens(text: string, maxTokens: number): { text: string; cut: boolean } {
  return truncateTextToTokens(text, maxTokens);
}

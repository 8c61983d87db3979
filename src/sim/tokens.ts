/**
 * Token counts for the simulator's usage figures: the o200k tokenizer through the shared
 * hardened counter (special-token text counted as text, linear on pathological input), whose
 * bounded cache counts the hot prompts of a benchmark once.
 */
export { countTextTokens as countTokens, truncateTextToTokens as truncateToTokens } from '../core/count-text-tokens.js';

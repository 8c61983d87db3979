/**
 * What a request cost, in integer nano-dollars, from its usage and its deployment's prices.
 * Unpriced deployments give null: an unknown cost must never read as free.
 *
 * Billing rules (OpenAI's usage object, which every adapter maps onto):
 * - `prompt_tokens` includes cache hits (`prompt_tokens_details.cached_tokens`) and cache
 *   writes (`cache_creation_tokens`); hits bill at the cached price, writes at the
 *   cache-write price, the rest at the input price. A missing cached or cache-write price
 *   means the vendor lists none, so those tokens bill at the input price.
 * - `completion_tokens` includes reasoning tokens, all at the output price
 *   (https://platform.openai.com/docs/guides/reasoning#how-reasoning-works).
 */
import type { Usage } from '../core/chat-response.js';
import { tokenCostNano, type NanoUsd } from '../core/money.js';
import type { CatalogModel, PriceFact } from './schema.js';
import { estimateTextTokens } from './tokens.js';

/** USD per million tokens; a PriceFact fits. */
export type Prices = Pick<PriceFact, 'input' | 'output' | 'cachedInput' | 'cacheWrite'>;

export interface CostBreakdown {
  costNano: NanoUsd;
  /** Uncached prompt tokens. */
  inputNano: NanoUsd;
  /** Prompt-cache hits. */
  cachedNano: NanoUsd;
  /** Prompt-cache writes (Anthropic's cache_creation_input_tokens). */
  cacheWriteNano: NanoUsd;
  /** Completion tokens, reasoning included. */
  outputNano: NanoUsd;
}

/** Token counts from an upstream are untrusted: negative, fractional or NaN become sane. */
function tokens(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.round(value) : 0;
}

function pricesUsable(prices: Prices | null | undefined): prices is Prices {
  return !!prices && Number.isFinite(prices.input) && Number.isFinite(prices.output) && prices.input >= 0 && prices.output >= 0;
}

export function computeCost(usage: Usage | null | undefined, prices: Prices | null | undefined): CostBreakdown | null {
  if (!pricesUsable(prices)) return null;
  const prompt = tokens(usage?.prompt_tokens);
  const cached = Math.min(tokens(usage?.prompt_tokens_details?.cached_tokens), prompt);
  const written = Math.min(tokens(usage?.prompt_tokens_details?.cache_creation_tokens), prompt - cached);
  const uncached = prompt - cached - written;
  // A provider that reports reasoning outside completion_tokens would show more reasoning
  // than completion; bill the larger rather than undercount.
  const output = Math.max(tokens(usage?.completion_tokens), tokens(usage?.completion_tokens_details?.reasoning_tokens));
  const inputNano = tokenCostNano(uncached, prices.input);
  const cachedNano = tokenCostNano(cached, prices.cachedInput ?? prices.input);
  const cacheWriteNano = tokenCostNano(written, prices.cacheWrite ?? prices.input);
  const outputNano = tokenCostNano(output, prices.output);
  return { costNano: inputNano + cachedNano + cacheWriteNano + outputNano, inputNano, cachedNano, cacheWriteNano, outputNano };
}

/**
 * The most a call can cost before it is sent, for budget reservations: every prompt token
 * at the full input price (no cache discount assumed) and the whole output cap used.
 */
export function estimateWorstCaseCost(promptTokens: number, maxOutputTokens: number, prices: Prices | null | undefined): NanoUsd | null {
  if (!pricesUsable(prices)) return null;
  return tokenCostNano(tokens(promptTokens), prices.input) + tokenCostNano(tokens(maxOutputTokens), prices.output);
}

/**
 * Usage for a stream that ended without a usage chunk: the prompt estimate made before the
 * call, and the generated text (content, reasoning and tool-call arguments, concatenated)
 * counted with the model's tokenizer.
 */
export function usageFromStream(textOut: string, promptEstimate: number, model?: Pick<CatalogModel, 'id' | 'vendor' | 'tokenizer'> | string): Usage {
  const prompt = tokens(promptEstimate);
  const completion = typeof textOut === 'string' ? estimateTextTokens(textOut, model) : 0;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

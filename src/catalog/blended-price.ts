/**
 * One number per deployment for sorting and price ceilings: input and output USD per
 * million tokens averaged 3:1, the ratio the route config's `maxPricePerMTokens` uses
 * (src/config/routes.ts) and a typical chat workload's input:output token ratio.
 */
import type { Prices } from './cost.js';

export function blendedPrice(prices: Prices | null | undefined): number | undefined {
  if (!prices) return undefined;
  return (3 * prices.input + prices.output) / 4;
}

/**
 * Money is integer nano-dollars (1e-9 USD) so sums never drift; prices are quoted the way
 * vendors quote them, USD per million tokens.
 */
export type NanoUsd = number;

export const NANO_PER_USD = 1_000_000_000;

export function usdToNano(usd: number): NanoUsd {
  return Math.round(usd * NANO_PER_USD);
}

export function nanoToUsd(nano: NanoUsd): number {
  return nano / NANO_PER_USD;
}

/** Cost of `tokens` at `usdPerMillion`, in nano-dollars (1 token at $1/M = 1000 nano-dollars). */
export function tokenCostNano(tokens: number, usdPerMillion: number): NanoUsd {
  return Math.round(tokens * usdPerMillion * 1000);
}

/** Renders a USD amount with enough precision for sub-cent request costs. */
export function formatUsd(nano: NanoUsd): string {
  const usd = nanoToUsd(nano);
  if (usd === 0) return '$0';
  if (Math.abs(usd) >= 1) return `$${usd.toFixed(2)}`;
  if (Math.abs(usd) >= 0.01) return `$${usd.toFixed(4)}`;
  return `$${usd.toPrecision(3)}`;
}

/** How report figures are written, shared by every format so they agree to the digit. */
import { formatUsd } from '../../core/money.js';
import type { CostPerSuccess } from '../stats/cost-per-success.js';

export function formatPercent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

export function formatInterval(lower: number, upper: number): string {
  return `${(lower * 100).toFixed(1)}–${(upper * 100).toFixed(1)}%`;
}

export function formatCostPerSuccess(cost: CostPerSuccess | null, unpriced: boolean): string {
  if (unpriced) return 'unpriced';
  if (!cost) return '—';
  return formatUsd(Math.round(cost.valueNano));
}

export function formatCostInterval(cost: CostPerSuccess | null): string {
  if (!cost) return '—';
  const upper = cost.upperNano === null ? '∞' : formatUsd(Math.round(cost.upperNano));
  return `${formatUsd(Math.round(cost.lowerNano))}–${upper}`;
}

export function formatMs(ms: number | null): string {
  if (ms === null) return '—';
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

export function formatOptionalRate(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '—' : formatPercent(rate);
}

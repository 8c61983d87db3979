/** Parsing of the human-written limits: `50usd/month`, `2M/day`, `30d`. */
import { formatUsd, usdToNano } from '../core/money.js';

export type BudgetPeriod = 'day' | 'week' | 'month';
export type BudgetKind = 'usd' | 'tokens';

export interface BudgetSpec {
  kind: BudgetKind;
  /** Nano-dollars for `usd`, tokens for `tokens`. */
  limit: number;
  period: BudgetPeriod;
}

const periods: Record<string, BudgetPeriod> = { day: 'day', d: 'day', daily: 'day', week: 'week', w: 'week', weekly: 'week', month: 'month', m: 'month', mo: 'month', monthly: 'month' };

function parsePeriod(text: string, original: string): BudgetPeriod {
  const period = periods[text.trim().toLowerCase()];
  if (!period) throw new Error(`budget period must be day, week or month, got '${original}'`);
  return period;
}

/** `50usd/month`, `$50/month`, `12.5 usd / day`. */
export function parseUsdBudget(text: string): BudgetSpec {
  const match = /^\s*\$?\s*(\d+(?:\.\d+)?)\s*(?:usd|\$)?\s*\/\s*([a-z]+)\s*$/i.exec(text);
  if (!match) throw new Error(`budget must look like 50usd/month, got '${text}'`);
  return { kind: 'usd', limit: usdToNano(Number(match[1])), period: parsePeriod(match[2] ?? '', text) };
}

const multipliers: Record<string, number> = { '': 1, k: 1_000, m: 1_000_000, b: 1_000_000_000 };

/** `2M/day`, `500k/week`, `100000/month`. */
export function parseTokenBudget(text: string): BudgetSpec {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmb]?)\s*(?:tokens?)?\s*\/\s*([a-z]+)\s*$/i.exec(text);
  if (!match) throw new Error(`token budget must look like 2M/day, got '${text}'`);
  const limit = Math.round(Number(match[1]) * (multipliers[(match[2] ?? '').toLowerCase()] ?? 1));
  return { kind: 'tokens', limit, period: parsePeriod(match[3] ?? '', text) };
}

const durationUnits: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 365 * 86_400_000 };

/** `30d`, `12h`, `2w` in milliseconds. */
export function parseDuration(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([smhdwy])\s*$/i.exec(text);
  if (!match) throw new Error(`duration must look like 30d, 12h or 2w, got '${text}'`);
  return Number(match[1]) * (durationUnits[(match[2] ?? 'd').toLowerCase()] ?? 0);
}

export function formatTokens(tokens: number): string {
  if (tokens >= 1_000_000 && tokens % 100_000 === 0) return `${tokens / 1_000_000}M`;
  if (tokens >= 1_000 && tokens % 100 === 0) return `${tokens / 1_000}k`;
  return tokens.toLocaleString('en-US');
}

export function formatBudgetAmount(kind: BudgetKind, amount: number): string {
  if (kind === 'tokens') return `${amount.toLocaleString('en-US')} tokens`;
  return formatUsd2(amount);
}

/** Dollars with cents always shown ($50.00, $0.02); sub-cent amounts keep significant digits. */
export function formatUsd2(nano: number): string {
  const usd = nano / 1e9;
  if (usd === 0) return '$0.00';
  if (Math.abs(usd) >= 0.01) return `$${usd.toFixed(2)}`;
  return formatUsd(nano);
}

export function describeBudget(spec: BudgetSpec): string {
  return spec.kind === 'usd' ? `${formatUsd2(spec.limit)}/${spec.period}` : `${formatTokens(spec.limit)} tokens/${spec.period}`;
}

/** Period identifier in UTC: `2025-01-31`, `2025-W05` (ISO week, Monday start), `2025-01`. */
export function periodKey(period: BudgetPeriod, now: number): string {
  const date = new Date(now);
  const y = date.getUTCFullYear();
  const m = String(date.getUTCMonth() + 1).padStart(2, '0');
  if (period === 'month') return `${y}-${m}`;
  if (period === 'day') return `${y}-${m}-${String(date.getUTCDate()).padStart(2, '0')}`;
  const day = (date.getUTCDay() + 6) % 7;
  const monday = new Date(Date.UTC(y, date.getUTCMonth(), date.getUTCDate() - day));
  return `w${monday.toISOString().slice(0, 10)}`;
}

/** When the period containing `now` ends (epoch ms, UTC). */
export function periodEnd(period: BudgetPeriod, now: number): number {
  const date = new Date(now);
  const y = date.getUTCFullYear();
  const mo = date.getUTCMonth();
  if (period === 'month') return Date.UTC(y, mo + 1, 1);
  if (period === 'day') return Date.UTC(y, mo, date.getUTCDate() + 1);
  const day = (date.getUTCDay() + 6) % 7;
  return Date.UTC(y, mo, date.getUTCDate() - day + 7);
}

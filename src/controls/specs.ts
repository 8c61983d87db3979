/** Parsing of the human-written limits: `50usd/month`, `2M/day`, `30d`. */
import type { BudgetKind, BudgetPeriod, BudgetSpec } from '../core/budget-spec.js';
import { formatUsd } from '../core/money.js';

export type { BudgetKind, BudgetPeriod, BudgetSpec } from '../core/budget-spec.js';
export { parseBudget, parseTokenBudget, parseUsdBudget } from '../core/budget-spec.js';

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

interface PeriodSpan { start: number; end: number; key: string }

function spanOf(period: BudgetPeriod, now: number): PeriodSpan {
  const date = new Date(now);
  const y = date.getUTCFullYear();
  const mo = date.getUTCMonth();
  const m = String(mo + 1).padStart(2, '0');
  if (period === 'month') return { start: Date.UTC(y, mo, 1), end: Date.UTC(y, mo + 1, 1), key: `${y}-${m}` };
  if (period === 'day') return { start: Date.UTC(y, mo, date.getUTCDate()), end: Date.UTC(y, mo, date.getUTCDate() + 1), key: `${y}-${m}-${String(date.getUTCDate()).padStart(2, '0')}` };
  const day = (date.getUTCDay() + 6) % 7;
  const start = Date.UTC(y, mo, date.getUTCDate() - day);
  return { start, end: Date.UTC(y, mo, date.getUTCDate() - day + 7), key: `w${new Date(start).toISOString().slice(0, 10)}` };
}

// Every budgeted request asks for its period; the answer changes once a day at most.
const currentSpans = new Map<BudgetPeriod, PeriodSpan>();

function periodSpan(period: BudgetPeriod, now: number): PeriodSpan {
  const cached = currentSpans.get(period);
  if (cached && now >= cached.start && now < cached.end) return cached;
  const span = spanOf(period, now);
  currentSpans.set(period, span);
  return span;
}

/** Period identifier in UTC: `2025-01-31`, `w2025-01-27` (ISO week, Monday start), `2025-01`. */
export function periodKey(period: BudgetPeriod, now: number): string {
  return periodSpan(period, now).key;
}

/** When the period containing `now` began (epoch ms, UTC). */
export function periodStart(period: BudgetPeriod, now: number): number {
  return periodSpan(period, now).start;
}

/** When the period containing `now` ends (epoch ms, UTC). */
export function periodEnd(period: BudgetPeriod, now: number): number {
  return periodSpan(period, now).end;
}

/**
 * The budget syntax people write (`50usd/month`, `2M/day`), parsed in one place so the
 * config file (`routes.<name>.budgets`) and `arbiter keys create --budget/--tokens` agree.
 * It lives in core because config validates with it and config imports only core.
 */
import { usdToNano } from './money.js';

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

const usdPattern = /^\s*\$?\s*(\d+(?:\.\d+)?)\s*(?:usd|\$)?\s*\/\s*([a-z]+)\s*$/i;
const tokenPattern = /^\s*(\d+(?:\.\d+)?)\s*([kmb]?)\s*(?:tokens?)?\s*\/\s*([a-z]+)\s*$/i;

/** `50usd/month`, `$50/month`, `12.5 usd / day`. */
export function parseUsdBudget(text: string): BudgetSpec {
  const match = usdPattern.exec(text);
  if (!match) throw new Error(`budget must look like 50usd/month, got '${text}'`);
  return { kind: 'usd', limit: usdToNano(Number(match[1])), period: parsePeriod(match[2] ?? '', text) };
}

const multipliers: Record<string, number> = { '': 1, k: 1_000, m: 1_000_000, b: 1_000_000_000 };

/** `2M/day`, `500k/week`, `100000/month`. */
export function parseTokenBudget(text: string): BudgetSpec {
  const match = tokenPattern.exec(text);
  if (!match) throw new Error(`token budget must look like 2M/day, got '${text}'`);
  const limit = Math.round(Number(match[1]) * (multipliers[(match[2] ?? '').toLowerCase()] ?? 1));
  return { kind: 'tokens', limit, period: parsePeriod(match[3] ?? '', text) };
}

/**
 * Either kind, told apart by its unit: `$`/`usd` is dollars, `k`/`M`/`B`/`tokens` is tokens.
 * A bare number (`500/month`) is refused: dollars or tokens would differ a millionfold.
 */
export function parseBudget(text: string): BudgetSpec {
  if (/\$|usd/i.test(text)) return parseUsdBudget(text);
  if (/^\s*\d+(?:\.\d+)?\s*(?:[kmb]|[kmb]?\s*tokens?)\s*\//i.test(text)) return parseTokenBudget(text);
  throw new Error(`budget must name its unit, like 500usd/month or 20M/day (tokens), got '${text}'`);
}

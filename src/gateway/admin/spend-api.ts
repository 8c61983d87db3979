/**
 * GET /admin/api/spend: cost, tokens and requests over time grouped by key, route, model,
 * deployment, vendor or jurisdiction, from the hourly rollups; and GET /admin/api/budgets:
 * each budget's use in its current period with its burn-down.
 */
import { budgetScope, keyBudgetOwner, routeBudgetOwner, type BudgetOwner } from '../../controls/budget-plan.js';
import { describeBudget, periodEnd, periodStart } from '../../controls/specs.js';
import { ownerHourlySpend, rollupSeries, type RollupDimension, type SeriesRow } from '../../store/rollup-queries.js';
import type { Handler } from '../context.js';
import { sendJson } from '../send-json.js';
import type { AdminDeps } from './admin-deps.js';
import { DAY_MS, HOUR_MS, enumParam, rangeParams, textParam } from './admin-params.js';

const GROUPINGS = ['key', 'route', 'model', 'deployment', 'vendor', 'jurisdiction'] as const;
type Grouping = (typeof GROUPINGS)[number];
const TOP_GROUPS = 8;
export const MAX_SPEND_RANGE_MS = 92 * DAY_MS;

const dimensionOf: Record<Grouping, RollupDimension> = { key: 'key_name', route: 'route', model: 'model', deployment: 'deployment', vendor: 'deployment', jurisdiction: 'deployment' };

interface GroupSeries { name: string; costNano: number[]; tokens: number[]; requests: number[]; errors: number[]; totalCostNano: number; totalTokens: number; totalRequests: number }

export function spendHandler(deps: AdminDeps): Handler {
  return async function spend(ctx) {
    const now = (deps.now ?? Date.now)();
    const { from, to } = rangeParams(ctx.query, { now, defaultMs: DAY_MS, maxMs: MAX_SPEND_RANGE_MS });
    const by = enumParam(ctx.query, 'by', GROUPINGS, 'model');
    const bucket = enumParam(ctx.query, 'bucket', ['auto', 'hour', 'day'] as const, 'auto');
    const step = bucket === 'day' || (bucket === 'auto' && to - from > 7 * DAY_MS) ? DAY_MS : HOUR_MS;
    const filter = {
      fromHour: from - (from % HOUR_MS), toHour: to,
      keyId: textParam(ctx.query, 'key'), route: textParam(ctx.query, 'route'), model: textParam(ctx.query, 'model'), deployment: textParam(ctx.query, 'deployment'),
    };
    const rows = await rollupSeries(deps.store, filter, dimensionOf[by]);
    const place = new Map((deps.runtime.deploymentStatus?.() ?? []).map((status) => [status.name, status]));
    const nameOf = (group: string): string => {
      if (group === '') return '(none)';
      if (by === 'vendor') return place.get(group)?.vendor ?? 'unknown';
      if (by === 'jurisdiction') return place.get(group)?.jurisdiction ?? 'UNKNOWN';
      return group;
    };
    sendJson(ctx, 200, { from, to, by, step, ...toSeries(rows, { from, to, step, nameOf }) });
  };
}

function toSeries(rows: readonly SeriesRow[], options: { from: number; to: number; step: number; nameOf: (group: string) => string }) {
  const start = options.from - (options.from % options.step);
  const times: number[] = [];
  for (let t = start; t < options.to; t += options.step) times.push(t);
  const totals = new Map<string, number>();
  for (const row of rows) {
    const name = options.nameOf(row.group);
    totals.set(name, (totals.get(name) ?? 0) + row.costNano + row.requests * 1e-6);
  }
  // The dearest groups by name; the rest is summed as one so the chart stays readable.
  const top = new Set([...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, TOP_GROUPS).map(([name]) => name));
  const groups = new Map<string, GroupSeries>();
  const blank = (name: string): GroupSeries => ({ name, costNano: times.map(() => 0), tokens: times.map(() => 0), requests: times.map(() => 0), errors: times.map(() => 0), totalCostNano: 0, totalTokens: 0, totalRequests: 0 });
  for (const row of rows) {
    const raw = options.nameOf(row.group);
    const name = top.has(raw) ? raw : '(other)';
    let group = groups.get(name);
    if (!group) groups.set(name, group = blank(name));
    const index = Math.floor((row.hour - start) / options.step);
    if (index < 0 || index >= times.length) continue;
    group.costNano[index]! += row.costNano;
    group.tokens[index]! += row.tokens;
    group.requests[index]! += row.requests;
    group.errors[index]! += row.errors;
    group.totalCostNano += row.costNano;
    group.totalTokens += row.tokens;
    group.totalRequests += row.requests;
  }
  const list = [...groups.values()].sort((a, b) => b.totalCostNano - a.totalCostNano || b.totalRequests - a.totalRequests);
  const totalsRow = list.reduce((sum, group) => ({ costNano: sum.costNano + group.totalCostNano, tokens: sum.tokens + group.totalTokens, requests: sum.requests + group.totalRequests, errors: sum.errors + group.errors.reduce((a, b) => a + b, 0) }), { costNano: 0, tokens: 0, requests: 0, errors: 0 });
  return { times, groups: list, totals: totalsRow };
}

export function budgetsHandler(deps: AdminDeps): Handler {
  return async function budgets(ctx) {
    const now = (deps.now ?? Date.now)();
    const owners: BudgetOwner[] = [];
    for (const key of await deps.keys.list()) {
      if (key.revokedAt === null && key.budgets.length > 0) owners.push(keyBudgetOwner(key));
    }
    for (const [name, route] of Object.entries(deps.config.routes)) {
      if (route.budgets.length > 0) owners.push(routeBudgetOwner(name, route.budgets));
    }
    const out = [];
    for (const owner of owners.slice(0, 200)) {
      for (const spec of owner.budgets) {
        const start = periodStart(spec.period, now);
        const hourly = await ownerHourlySpend(deps.store, owner.scope === 'key' ? { keyId: owner.id } : { route: owner.id }, start, now + HOUR_MS);
        let cumulative = 0;
        const burn = hourly.map((point) => {
          cumulative += spec.kind === 'usd' ? point.costNano : point.tokens;
          return { t: point.hour, used: cumulative };
        });
        const ledgerUsed = deps.budgetUsage ? await deps.budgetUsage(budgetScope(owner, spec, now)) : undefined;
        out.push({
          owner: owner.scope, id: owner.id, label: owner.label, kind: spec.kind, period: spec.period, limit: spec.limit, describe: describeBudget(spec),
          periodStart: start, periodEnd: periodEnd(spec.period, now),
          used: ledgerUsed ?? cumulative, burn,
        });
      }
    }
    sendJson(ctx, 200, { now, budgets: out });
  };
}

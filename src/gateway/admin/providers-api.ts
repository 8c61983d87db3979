/**
 * GET /admin/api/providers: per deployment over a range, from the rollups: volume and share
 * of traffic, error rate, p50/p95 latency estimated from the rollups' histogram, with the
 * router's live breaker state; and each route's decisions (which deployment served) over time.
 */
import { ROLLUP_LATENCY_BOUNDS_MS } from '../../store/migrations/004-dashboard.js';
import { deploymentRollups, rollupSeries } from '../../store/rollup-queries.js';
import type { Handler } from '../context.js';
import { sendJson } from '../send-json.js';
import type { AdminDeps } from './admin-deps.js';
import { DAY_MS, HOUR_MS, rangeParams } from './admin-params.js';

/**
 * The q-quantile of a bucketed histogram, interpolated linearly inside its bucket (as
 * Prometheus' histogram_quantile does); the open last bucket answers with its lower bound.
 */
export function bucketQuantile(buckets: readonly number[], q: number): number | null {
  const total = buckets.reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let index = 0; index < buckets.length; index++) {
    const count = buckets[index] ?? 0;
    if (count > 0 && seen + count >= rank) {
      const lower = index === 0 ? 0 : ROLLUP_LATENCY_BOUNDS_MS[index - 1] ?? 0;
      const upper = ROLLUP_LATENCY_BOUNDS_MS[index];
      if (upper === undefined) return lower;
      return lower + ((rank - seen) / count) * (upper - lower);
    }
    seen += count;
  }
  return ROLLUP_LATENCY_BOUNDS_MS[ROLLUP_LATENCY_BOUNDS_MS.length - 1] ?? null;
}

export function providersHandler(deps: AdminDeps): Handler {
  return async function providers(ctx) {
    const now = (deps.now ?? Date.now)();
    const { from, to } = rangeParams(ctx.query, { now, defaultMs: DAY_MS, maxMs: 92 * DAY_MS });
    const filter = { fromHour: from - (from % HOUR_MS), toHour: to };
    const rollups = await deploymentRollups(deps.store, filter);
    const statuses = deps.runtime.deploymentStatus?.() ?? [];
    const served = rollups.filter((row) => row.deployment !== '');
    const total = served.reduce((sum, row) => sum + row.requests, 0);
    const byName = new Map(served.map((row) => [row.deployment, row]));
    const names = [...new Set([...statuses.map((status) => status.name), ...served.map((row) => row.deployment)])];
    const deployments = await Promise.all(names.slice(0, 500).map(async (name) => {
      const row = byName.get(name);
      const status = statuses.find((entry) => entry.name === name);
      return {
        name,
        model: status?.model ?? null, provider: status?.provider ?? null, vendor: status?.vendor ?? null, jurisdiction: status?.jurisdiction ?? null,
        region: status?.region ?? null, simulated: status?.simulated ?? null, configured: status !== undefined,
        breaker: status?.breaker ?? null, recentErrorRate: status?.recentErrorRate ?? null,
        requests: row?.requests ?? 0,
        share: total > 0 ? (row?.requests ?? 0) / total : 0,
        errorRate: row && row.requests > 0 ? row.errors / row.requests : null,
        rateLimited: row?.rateLimited ?? 0,
        retries: row?.retries ?? 0,
        fallbacksInto: row?.fallbacks ?? 0,
        costNano: row?.costNano ?? 0,
        p50Ms: row ? bucketQuantile(row.buckets, 0.5) : null,
        p95Ms: row ? bucketQuantile(row.buckets, 0.95) : null,
        meanTtftMs: row && row.ttftCount > 0 ? row.ttftSumMs / row.ttftCount : null,
        identification: deps.identification ? (await deps.identification(name)) ?? null : null,
      };
    }));
    sendJson(ctx, 200, { from, to, deployments, routing: await routingOverTime(deps, filter, from, to) });
  };
}

/** Per route and hour (or day, past a week), how many requests each deployment served. */
async function routingOverTime(deps: AdminDeps, filter: { fromHour: number; toHour: number }, from: number, to: number) {
  const step = to - from > 7 * DAY_MS ? DAY_MS : HOUR_MS;
  const start = from - (from % step);
  const times: number[] = [];
  for (let t = start; t < to; t += step) times.push(t);
  const routes = new Map<string, Map<string, number[]>>();
  const fallbacks = new Map<string, number[]>();
  for (const route of Object.keys(deps.config.routes).slice(0, 50)) {
    const rows = await rollupSeries(deps.store, { ...filter, route }, 'deployment');
    const byDeployment = new Map<string, number[]>();
    const falls = times.map(() => 0);
    for (const row of rows) {
      const index = Math.floor((row.hour - start) / step);
      if (index < 0 || index >= times.length) continue;
      const name = row.group === '' ? '(refused)' : row.group;
      let series = byDeployment.get(name);
      if (!series) byDeployment.set(name, series = times.map(() => 0));
      series[index]! += row.requests;
      falls[index]! += row.fallbacks;
    }
    routes.set(route, byDeployment);
    fallbacks.set(route, falls);
  }
  return {
    step, times,
    routes: [...routes.entries()].map(([route, byDeployment]) => ({
      route, fallbacks: fallbacks.get(route) ?? [],
      deployments: [...byDeployment.entries()].map(([name, counts]) => ({ name, counts })),
    })),
  };
}

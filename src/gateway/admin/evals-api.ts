/**
 * Eval runs for the dashboard, from the same report code as `arbiter report/diff/trend`:
 * runs (newest first, paged), one run's leaderboard with its Pareto front, two runs compared
 * item by item (only the items that changed, McNemar per model), and a suite's trend.
 */
import { ArbiterError } from '../../core/errors.js';
import { compareRuns, loadRunReport, suiteTrend } from '../../evals/report/index.js';
import { loadEvalResults } from '../../store/eval-results.js';
import { getEvalRun, listEvalRuns } from '../../store/eval-runs.js';
import type { Handler } from '../context.js';
import { sendJson } from '../send-json.js';
import type { AdminDeps } from './admin-deps.js';
import { intParam, requiredText, textParam, timeParam } from './admin-params.js';

const MAX_CHANGED_ITEMS = 500;
const MAX_TREND_RUNS = 30;

async function requireRun(deps: AdminDeps, id: string, param: string) {
  const run = await getEvalRun(deps.store, id);
  if (!run) throw new ArbiterError('not_found', `No eval run '${id}'.`, { param });
  return run;
}

export function evalRunsHandler(deps: AdminDeps): Handler {
  return async function evalRuns(ctx) {
    const limit = intParam(ctx.query, 'limit', { min: 1, max: 100, fallback: 30 });
    const before = timeParam(ctx.query, 'before');
    const suite = textParam(ctx.query, 'suite');
    // One more than asked tells whether a next page exists; `before` pages by start time.
    let runs = await listEvalRuns(deps.store, { limit: limit + 1, ...(suite ? { suite } : {}) });
    if (before !== undefined) runs = (await listEvalRuns(deps.store, { limit: limit + 1 + 1000, ...(suite ? { suite } : {}) })).filter((run) => run.startedAt < before).slice(0, limit + 1);
    const page = runs.slice(0, limit);
    sendJson(ctx, 200, {
      runs: page.map((run) => ({ id: run.id, startedAt: run.startedAt, finishedAt: run.finishedAt, status: run.status, simulated: run.simulated, options: run.options })),
      next: runs.length > limit ? page.at(-1)?.startedAt ?? null : null,
    });
  };
}

export function evalReportHandler(deps: AdminDeps): Handler {
  return async function evalReport(ctx) {
    const id = requiredText(ctx.query, 'run');
    await requireRun(deps, id, 'run');
    sendJson(ctx, 200, await loadRunReport(deps.store, id));
  };
}

export function evalCompareHandler(deps: AdminDeps): Handler {
  return async function evalCompare(ctx) {
    const a = requiredText(ctx.query, 'a');
    const b = requiredText(ctx.query, 'b');
    await requireRun(deps, a, 'a');
    await requireRun(deps, b, 'b');
    const [rowsA, rowsB] = await Promise.all([loadEvalResults(deps.store, a), loadEvalResults(deps.store, b)]);
    const byItem = new Map(rowsA.map((row) => [`${row.suite}\u0000${row.model}\u0000${row.itemId}\u0000${row.repeat}`, row]));
    const changed = [];
    let totalChanged = 0;
    for (const row of rowsB) {
      const before = byItem.get(`${row.suite}\u0000${row.model}\u0000${row.itemId}\u0000${row.repeat}`);
      if (!before || before.pass === row.pass) continue;
      totalChanged += 1;
      if (changed.length < MAX_CHANGED_ITEMS) {
        changed.push({ suite: row.suite, model: row.model, itemId: row.itemId, repeat: row.repeat, passA: before.pass, passB: row.pass, reasonA: before.reason, reasonB: row.reason });
      }
    }
    sendJson(ctx, 200, { a, b, models: compareRuns(rowsA, rowsB), changed, totalChanged, truncated: totalChanged > changed.length });
  };
}

export function evalTrendHandler(deps: AdminDeps): Handler {
  return async function evalTrend(ctx) {
    const suite = requiredText(ctx.query, 'suite');
    const model = textParam(ctx.query, 'model');
    const runs = await listEvalRuns(deps.store, { suite, limit: MAX_TREND_RUNS });
    const withRows = await Promise.all(runs.map(async (run) => ({
      id: run.id, startedAt: run.startedAt, simulated: run.simulated,
      rows: await loadEvalResults(deps.store, run.id, { suite, ...(model ? { model } : {}) }),
    })));
    sendJson(ctx, 200, suiteTrend(suite, withRows));
  };
}

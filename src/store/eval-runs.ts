/** Eval runs: one row per `arbiter eval`, kept so reports, diffs and resumes can find it. */
import type { Store } from './database.js';

export type EvalRunStatus = 'running' | 'completed' | 'budget_exhausted' | 'failed' | 'aborted';

export interface EvalRunRecord {
  id: string;
  startedAt: number;
  finishedAt: number | null;
  status: EvalRunStatus;
  simulated: boolean;
  options: unknown;
  summary: unknown;
}

export async function createEvalRun(store: Store, run: { id: string; startedAt: number; simulated: boolean; options: unknown }): Promise<void> {
  await store.db.insertInto('eval_runs').values({
    id: run.id,
    started_at: run.startedAt,
    finished_at: null,
    status: 'running',
    simulated: run.simulated ? 1 : 0,
    options_json: JSON.stringify(run.options),
    summary_json: null,
  }).execute();
}

export async function markEvalRunResumed(store: Store, id: string): Promise<void> {
  await store.db.updateTable('eval_runs').set({ status: 'running', finished_at: null }).where('id', '=', id).execute();
}

export async function finishEvalRun(store: Store, id: string, result: { status: EvalRunStatus; finishedAt: number; summary: unknown }): Promise<void> {
  await store.db.updateTable('eval_runs')
    .set({ status: result.status, finished_at: result.finishedAt, summary_json: JSON.stringify(result.summary) })
    .where('id', '=', id)
    .execute();
}

export async function getEvalRun(store: Store, id: string): Promise<EvalRunRecord | undefined> {
  const row = await store.db.selectFrom('eval_runs').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

/** Newest first; `suite` keeps runs that graded at least one item of that suite. */
export async function listEvalRuns(store: Store, filter: { since?: number; suite?: string; limit?: number } = {}): Promise<EvalRunRecord[]> {
  let query = store.db.selectFrom('eval_runs').selectAll().orderBy('started_at', 'desc').orderBy('id', 'desc');
  if (filter.since !== undefined) query = query.where('started_at', '>=', filter.since);
  if (filter.suite !== undefined) {
    const suite = filter.suite;
    query = query.where(({ exists, selectFrom }) => exists(
      selectFrom('eval_results').select('eval_results.run_id')
        .whereRef('eval_results.run_id', '=', 'eval_runs.id')
        .where('eval_results.suite', '=', suite),
    ));
  }
  if (filter.limit !== undefined) query = query.limit(filter.limit);
  return (await query.execute()).map(toRecord);
}

function toRecord(row: { id: string; started_at: number; finished_at: number | null; status: string; simulated: number; options_json: string; summary_json: string | null }): EvalRunRecord {
  return {
    id: row.id,
    startedAt: Number(row.started_at),
    finishedAt: row.finished_at === null ? null : Number(row.finished_at),
    status: row.status as EvalRunStatus,
    simulated: Number(row.simulated) === 1,
    options: JSON.parse(row.options_json) as unknown,
    summary: row.summary_json === null ? null : (JSON.parse(row.summary_json) as unknown),
  };
}

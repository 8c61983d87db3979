/**
 * The eval response cache: a response is stored under the hash of (model, canonical
 * request, repeat index), so rerunning an eval replays what was already paid for.
 */
import type { ChatResponse } from '../core/chat-response.js';
import type { Store } from './database.js';
import { BatchInsert, KeyLookup } from './batch-insert.js';

export interface CachedEvalResponse {
  requestHash: string;
  model: string;
  response: ChatResponse;
  deployment: string;
  costNano: number | null;
  latencyMs: number;
  ttftMs: number | null;
  createdAt: number;
}

const cacheLookup = new KeyLookup((db, requestHash) => db.selectFrom('eval_cache').selectAll().where('request_hash', '=', requestHash));

const insertCache = new BatchInsert(
  'eval_cache',
  ['request_hash', 'model', 'response_json', 'deployment', 'cost_nano', 'latency_ms', 'ttft_ms', 'created_at'],
  (query) => query.onConflict((conflict) => conflict.column('request_hash').doNothing()),
);

export async function getCachedEvalResponse(store: Store, requestHash: string): Promise<CachedEvalResponse | undefined> {
  const row = await cacheLookup.first(store.db, requestHash);
  if (!row) return undefined;
  return {
    requestHash: row.request_hash,
    model: row.model,
    response: JSON.parse(row.response_json) as ChatResponse,
    deployment: row.deployment,
    costNano: row.cost_nano === null ? null : Number(row.cost_nano),
    latencyMs: Number(row.latency_ms),
    ttftMs: row.ttft_ms === null ? null : Number(row.ttft_ms),
    createdAt: Number(row.created_at),
  };
}

/** One transaction for the batch; an existing entry wins (first paid answer is kept). */
export async function putCachedEvalResponses(store: Store, entries: readonly CachedEvalResponse[]): Promise<void> {
  if (entries.length === 0) return;
  await store.db.transaction().execute(async (trx) => {
    for (let start = 0; start < entries.length; start += 100) {
      const rows = entries.slice(start, start + 100).map((entry) => ({
        request_hash: entry.requestHash,
        model: entry.model,
        response_json: JSON.stringify(entry.response),
        deployment: entry.deployment,
        cost_nano: entry.costNano,
        latency_ms: entry.latencyMs,
        ttft_ms: entry.ttftMs,
        created_at: entry.createdAt,
      }));
      await insertCache.run(trx, rows);
    }
  });
}

/**
 * Buffers graded results (and fresh cache entries) and writes them in one transaction per
 * batch, so a run of thousands of items makes tens of commits, not thousands. A batch is
 * also written once its oldest entry has waited `maxDelayMs`: with slow models 25 results take
 * minutes, and a crash would lose those paid answers (resume would pay for them again).
 * Flushes are serialized; a crash loses at most one unflushed batch, which resume then redoes.
 */
import type { Store } from '../../store/database.js';
import { insertEvalResults, type EvalResultRecord } from '../../store/eval-results.js';
import { putCachedEvalResponses, type CachedEvalResponse } from '../../store/eval-cache.js';

export interface ResultWriter {
  add(record: EvalResultRecord, cacheEntry?: CachedEvalResponse): Promise<void>;
  flush(): Promise<void>;
}

export interface ResultWriterOptions {
  maxDelayMs?: number;
  now?: () => number;
}

export function createResultWriter(store: Store, batchSize: number, options: ResultWriterOptions = {}): ResultWriter {
  const maxDelayMs = options.maxDelayMs ?? 2000;
  const now = options.now ?? Date.now;
  let oldest = 0;
  let records: EvalResultRecord[] = [];
  let cacheEntries: CachedEvalResponse[] = [];
  let chain: Promise<void> = Promise.resolve();

  const flush = (): Promise<void> => {
    const batch = records;
    const cache = cacheEntries;
    records = [];
    cacheEntries = [];
    chain = chain.then(async () => {
      // Cache first: a result row must never exist without the paid answer behind it.
      await putCachedEvalResponses(store, cache);
      await insertEvalResults(store, batch);
    });
    return chain;
  };

  return {
    async add(record, cacheEntry) {
      if (records.length === 0) oldest = now();
      records.push(record);
      if (cacheEntry) cacheEntries.push(cacheEntry);
      if (records.length >= batchSize || now() - oldest >= maxDelayMs) await flush();
    },
    flush,
  };
}

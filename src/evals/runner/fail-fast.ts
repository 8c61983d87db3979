/**
 * Fail-fast bookkeeping: a pass/fail tally per (suite, model), and after each graded item the
 * suite's models are checked for statistical dominance (stats/dominance.ts). A dominated
 * model is stopped on that suite; what it would still have cost is estimated from its average
 * cost per item so far.
 */
import { checkDominance, findLeader } from '../stats/dominance.js';

export interface FailFastOptions {
  minSample: number;
  minPass?: number;
}

export interface StoppedPair {
  suite: string;
  model: string;
  reason: 'below-leader' | 'below-min-pass';
  detail: string;
  /** Graded attempts when it was stopped. */
  atTotal: number;
}

interface PairTally {
  model: string;
  passes: number;
  total: number;
  costNano: number;
  pricedItems: number;
}

export interface FailFast {
  record(suite: string, model: string, outcome: { pass: boolean; costNano: number | null }): void;
  isStopped(suite: string, model: string): boolean;
  /** Checks every still-running model of the suite; returns the pairs stopped by this check. */
  check(suite: string): StoppedPair[];
  averageCostNano(suite: string, model: string): number;
  stopped(): StoppedPair[];
}

export function createFailFast(options: FailFastOptions): FailFast {
  const tallies = new Map<string, Map<string, PairTally>>();
  const stopped = new Map<string, StoppedPair>();
  const key = (suite: string, model: string) => `${suite}\u0000${model}`;
  const tallyOf = (suite: string, model: string): PairTally => {
    let bySuite = tallies.get(suite);
    if (!bySuite) tallies.set(suite, (bySuite = new Map()));
    let tally = bySuite.get(model);
    if (!tally) bySuite.set(model, (tally = { model, passes: 0, total: 0, costNano: 0, pricedItems: 0 }));
    return tally;
  };
  return {
    record(suite, model, outcome) {
      const tally = tallyOf(suite, model);
      tally.total += 1;
      if (outcome.pass) tally.passes += 1;
      if (outcome.costNano !== null) {
        tally.costNano += outcome.costNano;
        tally.pricedItems += 1;
      }
    },
    isStopped: (suite, model) => stopped.has(key(suite, model)),
    check(suite) {
      const all = [...(tallies.get(suite)?.values() ?? [])];
      const leader = findLeader(all, options.minSample);
      const newly: StoppedPair[] = [];
      for (const tally of all) {
        if (stopped.has(key(suite, tally.model))) continue;
        const verdict = checkDominance({ candidate: tally, leader, minPass: options.minPass, minSample: options.minSample });
        if (!verdict.dominated) continue;
        const pair: StoppedPair = { suite, model: tally.model, reason: verdict.reason, detail: verdict.detail, atTotal: tally.total };
        stopped.set(key(suite, tally.model), pair);
        newly.push(pair);
      }
      return newly;
    },
    averageCostNano(suite, model) {
      const tally = tallies.get(suite)?.get(model);
      return tally && tally.pricedItems > 0 ? tally.costNano / tally.pricedItems : 0;
    },
    stopped: () => [...stopped.values()],
  };
}

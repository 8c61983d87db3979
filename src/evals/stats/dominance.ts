/**
 * Statistical dominance for fail-fast: a model can stop being evaluated on a suite once even
 * its optimistic pass rate (Wilson upper bound) is below the leader's pessimistic one (Wilson
 * lower bound), or below an absolute floor the user would never accept. With 95% two-sided
 * intervals the chance of wrongly dropping a model at a single check is small; repeated
 * checks inflate it somewhat, which is why a minimum sample is required first.
 */
import { wilsonInterval } from './wilson.js';

export interface Tally {
  passes: number;
  total: number;
}

export interface DominanceInput {
  candidate: Tally;
  /** The best model so far (highest Wilson lower bound), if another model has enough samples. */
  leader?: Tally;
  /** Absolute floor on the pass rate, 0..1. */
  minPass?: number;
  /** Neither side is judged before this many graded attempts. */
  minSample: number;
}

export type DominanceVerdict =
  | { dominated: false }
  | { dominated: true; reason: 'below-leader' | 'below-min-pass'; detail: string };

export function checkDominance(input: DominanceInput): DominanceVerdict {
  const { candidate, leader, minPass, minSample } = input;
  if (candidate.total < minSample) return { dominated: false };
  const mine = wilsonInterval(candidate.passes, candidate.total);
  if (minPass !== undefined && mine.upper < minPass) {
    return { dominated: true, reason: 'below-min-pass', detail: `upper bound ${fmt(mine.upper)} < min pass ${fmt(minPass)}` };
  }
  if (leader && leader !== candidate && leader.total >= minSample) {
    const theirs = wilsonInterval(leader.passes, leader.total);
    if (mine.upper < theirs.lower) {
      return { dominated: true, reason: 'below-leader', detail: `upper bound ${fmt(mine.upper)} < leader's lower bound ${fmt(theirs.lower)}` };
    }
  }
  return { dominated: false };
}

/** The tally with the highest Wilson lower bound among those with at least `minSample`. */
export function findLeader<T extends Tally>(tallies: readonly T[], minSample: number): T | undefined {
  let best: T | undefined;
  let bestLower = -1;
  for (const tally of tallies) {
    if (tally.total < minSample) continue;
    const lower = wilsonInterval(tally.passes, tally.total).lower;
    if (lower > bestLower) {
      best = tally;
      bestLower = lower;
    }
  }
  return best;
}

function fmt(value: number): string {
  return value.toFixed(3);
}

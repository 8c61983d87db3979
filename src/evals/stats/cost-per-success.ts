/**
 * Cost per successful task: what one *passing* answer costs, the figure that decides whether
 * a cheap model that fails often is really cheap.
 *
 * Interval: the total spend is observed (fixed); the uncertain part is the success rate. With
 * the Wilson 95% bounds [L, U] on the pass rate over n attempts, the expected number of
 * successes lies in [n·L, n·U], so cost per success lies in [cost / (n·U), cost / (n·L)].
 * When L = 0 (no or very few passes) the upper bound is unbounded and reported as null.
 */
import type { NanoUsd } from '../../core/money.js';
import { wilsonInterval } from './wilson.js';

export interface CostPerSuccess {
  /** Observed: total cost / passes. */
  valueNano: number;
  lowerNano: number;
  /** Null when unbounded (the pass rate's lower bound is 0). */
  upperNano: number | null;
}

export function costPerSuccess(input: { totalCostNano: NanoUsd; passes: number; total: number }): CostPerSuccess | null {
  const { totalCostNano, passes, total } = input;
  if (passes === 0 || total === 0) return null;
  const { lower, upper } = wilsonInterval(passes, total);
  return {
    valueNano: totalCostNano / passes,
    lowerNano: totalCostNano / (total * upper),
    upperNano: lower > 0 ? totalCostNano / (total * lower) : null,
  };
}

/**
 * Wilson score interval for a binomial proportion (Wilson 1927). Unlike the normal
 * approximation it stays inside [0, 1] and is sensible at 0/n and n/n, which is exactly
 * where small eval samples live.
 *   centre = (p + z²/2n) / (1 + z²/n)
 *   half   = z / (1 + z²/n) · sqrt(p(1-p)/n + z²/4n²)
 * Reference: https://en.wikipedia.org/wiki/Binomial_proportion_confidence_interval#Wilson_score_interval
 */

/** Two-sided 95%: the 0.975 quantile of the standard normal. */
export const Z_95 = 1.959963984540054;

export interface Interval {
  lower: number;
  upper: number;
}

export function wilsonInterval(passes: number, total: number, z: number = Z_95): Interval {
  if (!Number.isInteger(passes) || !Number.isInteger(total) || passes < 0 || total < 0 || passes > total) {
    throw new RangeError(`wilsonInterval needs integers 0 <= passes <= total, got ${passes}/${total}`);
  }
  // No evidence at all: the whole range is plausible.
  if (total === 0) return { lower: 0, upper: 1 };
  const p = passes / total;
  const z2 = z * z;
  const denominator = 1 + z2 / total;
  const centre = (p + z2 / (2 * total)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / total + z2 / (4 * total * total));
  // At 0/n and n/n the bound is exactly 0 or 1; don't leave floating-point dust there.
  return {
    lower: passes === 0 ? 0 : Math.max(0, centre - half),
    upper: passes === total ? 1 : Math.min(1, centre + half),
  };
}

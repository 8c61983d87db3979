/**
 * McNemar's test for paired binary outcomes: the same items graded under A and under B.
 * Only the discordant pairs carry information: b = passed under A only, c = passed under B
 * only. Under H0 (no difference) each discordant pair is a fair coin, b ~ Binomial(b+c, ½).
 *
 * - b + c < 25: exact two-sided binomial test, p = min(1, 2·P(X ≤ min(b, c))). The usual
 *   advice is that the chi-square approximation is poor below about 25 discordant pairs.
 * - otherwise: chi-square with Edwards' continuity correction, (|b − c| − 1)² / (b + c),
 *   one degree of freedom, p = erfc(sqrt(χ²/2)).
 * Reference: https://en.wikipedia.org/wiki/McNemar%27s_test
 */

export const EXACT_BELOW = 25;

export interface McNemarResult {
  /** Passed under A, failed under B. */
  b: number;
  /** Failed under A, passed under B. */
  c: number;
  method: 'exact' | 'chi-square-cc' | 'none';
  /** Chi-square statistic (chi-square method only). */
  statistic?: number;
  pValue: number;
}

export function mcnemarTest(b: number, c: number, options: { exactBelow?: number } = {}): McNemarResult {
  if (!Number.isInteger(b) || !Number.isInteger(c) || b < 0 || c < 0) {
    throw new RangeError(`mcnemarTest needs non-negative integer counts, got b=${b} c=${c}`);
  }
  const n = b + c;
  if (n === 0) return { b, c, method: 'none', pValue: 1 };
  if (n < (options.exactBelow ?? EXACT_BELOW)) {
    return { b, c, method: 'exact', pValue: Math.min(1, 2 * binomialCdfHalf(Math.min(b, c), n)) };
  }
  const statistic = (Math.abs(b - c) - 1) ** 2 / n;
  return { b, c, method: 'chi-square-cc', statistic, pValue: chiSquare1Survival(statistic) };
}

/** P(X ≤ k) for X ~ Binomial(n, ½), summed in log space so large n does not underflow. */
export function binomialCdfHalf(k: number, n: number): number {
  let logPmf = -n * Math.LN2; // log P(X = 0)
  let sum = Math.exp(logPmf);
  for (let i = 0; i < k; i += 1) {
    logPmf += Math.log((n - i) / (i + 1));
    sum += Math.exp(logPmf);
  }
  return Math.min(1, sum);
}

/** Upper tail of chi-square with 1 degree of freedom: P(χ² ≥ x) = erfc(sqrt(x / 2)). */
export function chiSquare1Survival(x: number): number {
  if (x <= 0) return 1;
  return erfc(Math.sqrt(x / 2));
}

/**
 * Complementary error function, Chebyshev fit with fractional error below 1.2e-7 everywhere
 * (Numerical Recipes in C, 2nd ed., §6.2, erfcc): ample for significance at 0.05.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly = -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
    + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const value = t * Math.exp(poly);
  return x >= 0 ? value : 2 - value;
}

/**
 * Percentiles by linear interpolation between closest ranks (Hyndman & Fan type 7, the
 * default of numpy and R), so p50 of an even sample is the mean of the middle two.
 */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (p < 0 || p > 1) throw new RangeError(`percentile p must be in [0, 1], got ${p}`);
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = p * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const lowValue = sorted[low] as number;
  const highValue = sorted[high] as number;
  return lowValue + (highValue - lowValue) * (rank - low);
}

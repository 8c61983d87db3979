/**
 * The cost/quality Pareto front: a model is on it when no other model is at least as cheap
 * per success *and* at least as good, with one of the two strictly better. Models without a
 * cost per success (no passes, or unpriced) cannot be placed and are left out.
 */
export interface ParetoPoint {
  key: string;
  costNano: number;
  quality: number;
}

export function paretoFront(points: readonly ParetoPoint[]): Set<string> {
  const front = new Set<string>();
  for (const point of points) {
    const dominated = points.some((other) => other !== point
      && other.costNano <= point.costNano && other.quality >= point.quality
      && (other.costNano < point.costNano || other.quality > point.quality));
    if (!dominated) front.add(point.key);
  }
  return front;
}

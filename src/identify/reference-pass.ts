/**
 * Reference pass: are the endpoint's answers drawn from the same distribution as a known
 * reference endpoint's, for the same prompts? A two-sample test on output features
 * (model-equality testing, Gao et al. 2024, uses MMD the same way): each answer becomes a
 * hashed character-trigram vector plus its length, the statistic is the squared MMD under a
 * cosine kernel, and its p-value comes from a permutation test with a seeded shuffle.
 */
export interface ReferenceResult {
  mmd2: number;
  pValue: number;
  permutations: number;
  /** p < alpha: the outputs differ. */
  differs: boolean;
  samples: { target: number; reference: number };
}

const DIMENSIONS = 512;

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

export function featureVector(text: string): Float64Array {
  const vector = new Float64Array(DIMENSIONS + 1);
  const padded = ` ${text.toLowerCase()} `;
  for (let i = 0; i + 3 <= padded.length; i++) vector[hash(padded.slice(i, i + 3)) % DIMENSIONS]! += 1;
  let norm = 0;
  for (let i = 0; i < DIMENSIONS; i++) norm += vector[i]! ** 2;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < DIMENSIONS; i++) vector[i]! /= norm;
  // Length on a log scale, so verbosity differences count without dominating.
  vector[DIMENSIONS] = Math.log1p(text.length) / 8;
  return vector;
}

function kernel(a: Float64Array, b: Float64Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return dot;
}

function mmd2(gram: number[][], inX: boolean[]): number {
  let xx = 0, yy = 0, xy = 0, nx = 0, ny = 0;
  for (let i = 0; i < inX.length; i++) if (inX[i]) nx++; else ny++;
  for (let i = 0; i < inX.length; i++) {
    for (let j = 0; j < inX.length; j++) {
      const k = gram[i]![j]!;
      if (inX[i] && inX[j]) { if (i !== j) xx += k; } else if (!inX[i] && !inX[j]) { if (i !== j) yy += k; } else xy += k;
    }
  }
  // The unbiased estimator: self-similarities left out.
  return xx / Math.max(1, nx * (nx - 1)) + yy / Math.max(1, ny * (ny - 1)) - xy / Math.max(1, nx * ny);
}

export function compareOutputs(target: readonly string[], reference: readonly string[], options: { permutations?: number; alpha?: number; seed?: number } = {}): ReferenceResult {
  const all = [...target, ...reference].map(featureVector);
  const gram = all.map((a) => all.map((b) => kernel(a, b)));
  const labels = all.map((_, i) => i < target.length);
  const observed = mmd2(gram, labels);
  const permutations = options.permutations ?? 500;
  let state = (options.seed ?? 7) >>> 0;
  const random = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  let atLeast = 0;
  const shuffled = [...labels];
  for (let p = 0; p < permutations; p++) {
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    if (mmd2(gram, shuffled) >= observed) atLeast++;
  }
  const pValue = (atLeast + 1) / (permutations + 1);
  return { mmd2: observed, pValue, permutations, differs: pValue < (options.alpha ?? 0.05), samples: { target: target.length, reference: reference.length } };
}

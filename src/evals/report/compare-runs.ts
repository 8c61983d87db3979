/**
 * Run A against run B, per (model, suite): the pass-rate change, and whether it is real.
 * Significance comes from McNemar's test on the items both runs graded (same suite, item,
 * repeat), which pairs each item with itself and so ignores differences in item difficulty;
 * a significant drop is flagged as a regression.
 */
import type { EvalResultRecord } from '../../store/eval-results.js';
import { mcnemarTest, type McNemarResult } from '../stats/mcnemar.js';
import { wilsonInterval } from '../stats/wilson.js';

export const DEFAULT_ALPHA = 0.05;

type ResultForDiff = Pick<EvalResultRecord, 'suite' | 'itemId' | 'model' | 'repeat' | 'pass'>;

export interface SideFigures {
  passes: number;
  total: number;
  passRate: number;
  passRateLower: number;
  passRateUpper: number;
}

export interface ModelComparison {
  model: string;
  suite: string;
  a?: SideFigures;
  b?: SideFigures;
  /** b.passRate − a.passRate over each run's full sample; undefined when one side is missing. */
  delta?: number;
  /** Items graded in both runs. */
  shared: number;
  /** Pass-rate change on the shared items only. */
  pairedDelta?: number;
  test: McNemarResult;
  significant: boolean;
  regression: boolean;
  improvement: boolean;
}

function figures(rows: readonly ResultForDiff[]): SideFigures | undefined {
  if (rows.length === 0) return undefined;
  const passes = rows.filter((row) => row.pass).length;
  const { lower, upper } = wilsonInterval(passes, rows.length);
  return { passes, total: rows.length, passRate: passes / rows.length, passRateLower: lower, passRateUpper: upper };
}

const group = (rows: readonly ResultForDiff[]) => {
  const out = new Map<string, ResultForDiff[]>();
  for (const row of rows) {
    const key = `${row.suite}\u0000${row.model}`;
    const list = out.get(key);
    if (list) list.push(row);
    else out.set(key, [row]);
  }
  return out;
};

export function compareRuns(rowsA: readonly ResultForDiff[], rowsB: readonly ResultForDiff[], options: { alpha?: number } = {}): ModelComparison[] {
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  const groupsA = group(rowsA);
  const groupsB = group(rowsB);
  const keys = [...new Set([...groupsA.keys(), ...groupsB.keys()])].sort();
  return keys.map((key) => {
    const [suite = '', model = ''] = key.split('\u0000');
    const sideA = groupsA.get(key) ?? [];
    const sideB = groupsB.get(key) ?? [];
    const byItemA = new Map(sideA.map((row) => [`${row.itemId}\u0000${row.repeat}`, row.pass]));
    let b = 0;
    let c = 0;
    let shared = 0;
    let sharedPassA = 0;
    let sharedPassB = 0;
    for (const row of sideB) {
      const passA = byItemA.get(`${row.itemId}\u0000${row.repeat}`);
      if (passA === undefined) continue;
      shared += 1;
      if (passA) sharedPassA += 1;
      if (row.pass) sharedPassB += 1;
      if (passA && !row.pass) b += 1;
      if (!passA && row.pass) c += 1;
    }
    const test = mcnemarTest(b, c);
    const significant = test.pValue < alpha;
    const a = figures(sideA);
    const bFigures = figures(sideB);
    const comparison: ModelComparison = {
      model, suite, shared, test, significant,
      regression: significant && b > c,
      improvement: significant && c > b,
    };
    if (a) comparison.a = a;
    if (bFigures) comparison.b = bFigures;
    if (a && bFigures) comparison.delta = bFigures.passRate - a.passRate;
    if (shared > 0) comparison.pairedDelta = (sharedPassB - sharedPassA) / shared;
    return comparison;
  });
}

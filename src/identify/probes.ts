/**
 * The tokenizer probes: short units of text on which tokenizers disagree (CJK, Korean,
 * Devanagari, Thai, emoji, rare Unicode, mathematical symbols, code, whitespace runs,
 * numbers), repeated k = 0..3 times per request after a fixed preamble. Every request counts
 * template and hidden system prompt once, so the change of usage.prompt_tokens between
 * requests is the change of the probe text's own count, which each candidate tokenizer
 * predicts exactly.
 *
 * Nothing here is chosen by looking at endpoints: the units are picked from the pool, and the
 * repeat design from seeded random designs, to maximise the smallest separation between any
 * two candidate tokenizers (a maximin design), computed from the tokenizers alone.
 */
import { countFamilyTokens, type TokenizerId } from '../core/family-tokenizers.js';

export interface ProbeUnit { name: string; category: string; text: string }

export const UNIT_POOL: readonly ProbeUnit[] = [
  { name: 'zh', category: 'cjk', text: '人工智能模型的分词器各不相同。' },
  { name: 'ja', category: 'cjk', text: '東京の天気は晴れです。' },
  { name: 'ko', category: 'korean', text: '안녕하세요 반갑습니다. ' },
  { name: 'hi', category: 'devanagari', text: 'नमस्ते दुनिया ' },
  { name: 'th', category: 'thai', text: 'สวัสดีครับ ' },
  { name: 'ru', category: 'cyrillic', text: 'Привет, как дела? ' },
  { name: 'ar', category: 'arabic', text: 'مرحبا بالعالم ' },
  { name: 'emoji', category: 'emoji', text: '🎉👍🏽🧑‍💻🇯🇵' },
  { name: 'rare', category: 'rare-unicode', text: 'ꙮ∮ᚠᛇᚻ⸘ℵ' },
  { name: 'math', category: 'math', text: '∑∫√∞≈≠' },
  { name: 'py', category: 'code', text: 'def f(x):\n    return x**2\n' },
  { name: 'js', category: 'code', text: '\tif (a !== b) { return; }\n' },
  { name: 'ws', category: 'whitespace', text: '        ' },
  { name: 'num', category: 'numbers', text: '3.14159 2718281 0.000042 ' },
];

const PREAMBLE = 'Reply with the single word OK.\n';
const SEPARATOR = '\n';
const CLOSING = '\nOK?';

/** One request of the tokenizer pass: how often each chosen unit is repeated. */
export interface ProbeRequest { repeats: number[]; text: string }

export interface ProbeDesign {
  units: ProbeUnit[];
  requests: ProbeRequest[];
  /** The smallest separation (tokens of spread of the count difference) between two candidate tokenizers, with the pair. */
  weakestPair?: { a: TokenizerId; b: TokenizerId; spread: number };
}

export function probeText(units: readonly ProbeUnit[], repeats: readonly number[]): string {
  const parts = units.map((unit, i) => unit.text.repeat(repeats[i] ?? 0)).filter((part) => part.length > 0);
  return PREAMBLE + parts.join(SEPARATOR) + CLOSING;
}

/** Max minus min of the count difference between two tokenizers over the requests: 0 means indistinguishable. */
export function spreadBetween(countsA: readonly number[], countsB: readonly number[]): number {
  let lo = Infinity;
  let hi = -Infinity;
  countsA.forEach((count, i) => {
    const d = count - (countsB[i] ?? 0);
    lo = Math.min(lo, d);
    hi = Math.max(hi, d);
  });
  return countsA.length === 0 ? 0 : hi - lo;
}

// A small deterministic generator so the design is the same on every run and machine.
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

function pickUnits(candidates: readonly TokenizerId[], unitCount: number): ProbeUnit[] {
  // Per-repeat cost of each unit under each tokenizer, measured as a 1 -> 3 repeat difference.
  const perUnit = UNIT_POOL.map((unit) => candidates.map((id) => {
    const one = countFamilyTokens(id, probeText([unit], [1]));
    const three = countFamilyTokens(id, probeText([unit], [3]));
    return (three - one) / 2;
  }));
  const chosen: number[] = [];
  while (chosen.length < Math.min(unitCount, UNIT_POOL.length)) {
    let best = -1;
    let bestScore = -Infinity;
    for (let u = 0; u < UNIT_POOL.length; u++) {
      if (chosen.includes(u)) continue;
      const set = [...chosen, u];
      // Maximin: the pair of tokenizers worst separated by the best unit of the set decides;
      // ties go to the set separating all pairs more in total, then to cheaper units.
      let worst = Infinity;
      let total = 0;
      for (let a = 0; a < candidates.length; a++) {
        for (let b = a + 1; b < candidates.length; b++) {
          const gap = Math.max(...set.map((i) => Math.abs((perUnit[i]?.[a] ?? 0) - (perUnit[i]?.[b] ?? 0))));
          worst = Math.min(worst, gap);
          total += Math.min(gap, 6);
        }
      }
      const cost = Math.max(...(perUnit[u] ?? [0]));
      const score = worst * 1e6 + total * 10 - cost;
      if (score > bestScore) {
        bestScore = score;
        best = u;
      }
    }
    if (best < 0) break;
    chosen.push(best);
  }
  return chosen.map((i) => UNIT_POOL[i]!);
}

/**
 * The probe design for a candidate set: `requestCount` requests over `unitCount` units.
 * The repeat matrix is the best of a fixed sequence of seeded random designs by the
 * smallest pairwise spread, so no two candidates are left close if a design can part them.
 */
export function designProbes(candidates: readonly TokenizerId[], options: { requestCount?: number; unitCount?: number } = {}): ProbeDesign {
  const requestCount = Math.max(3, options.requestCount ?? 8);
  const units = pickUnits(candidates, options.unitCount ?? 6);
  const random = lcg(0x5eed);
  let bestRequests: ProbeRequest[] = [];
  let bestWorst = -Infinity;
  let weakestPair: ProbeDesign['weakestPair'];
  for (let attempt = 0; attempt < 40; attempt++) {
    const requests: ProbeRequest[] = [];
    for (let r = 0; r < requestCount; r++) {
      // The first request carries every unit once and the second none: both ends of the range.
      const repeats = units.map(() => (r === 0 ? 1 : r === 1 ? 0 : Math.floor(random() * 4)));
      requests.push({ repeats, text: probeText(units, repeats) });
    }
    const counts = candidates.map((id) => requests.map((request) => countFamilyTokens(id, request.text)));
    let worst = Infinity;
    let pair: ProbeDesign['weakestPair'];
    for (let a = 0; a < candidates.length; a++) {
      for (let b = a + 1; b < candidates.length; b++) {
        const spread = spreadBetween(counts[a]!, counts[b]!);
        if (spread < worst) {
          worst = spread;
          pair = { a: candidates[a]!, b: candidates[b]!, spread };
        }
      }
    }
    if (worst > bestWorst) {
      bestWorst = worst;
      bestRequests = requests;
      weakestPair = pair;
    }
  }
  return { units, requests: bestRequests, weakestPair };
}

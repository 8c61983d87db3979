/**
 * The verdict: a posterior over family sets from the tokenizer fit (the only decisive
 * evidence), times the capped passive and behavioural hints. It is CONFIDENT only when the top
 * hypothesis holds at least CONFIDENT_PROBABILITY; below that the answer is `unknown` with the
 * ranking shown, so an endpoint that cannot be separated is never named wrongly with
 * confidence. Two hypotheses beyond the known sets keep it honest:
 * - `other`: no known tokenizer fits the counts (a family without a shipped vocabulary);
 * - `proxy-recount`: the counts are a tiktoken encoding's but the wire is not OpenAI's, as
 *   when a proxy recounts a hidden model's prompt with cl100k.
 */
import type { TokenizerId } from '../core/family-tokenizers.js';
import { FAMILY_SETS } from './families.js';
import type { PassiveResult } from './passive-pass.js';
import type { BehaviourResult } from './behaviour-pass.js';
import { tokenizerPosterior, type TokenizerPassResult } from './tokenizer-pass.js';

export const CONFIDENT_PROBABILITY = 0.8;

export type Hypothesis = TokenizerId | 'other' | 'proxy-recount';

export interface RankedFamily {
  id: Hypothesis;
  label: string;
  /** Tokenizers the probes could not part from this one: the family set. */
  set: TokenizerId[];
  probability: number;
}

export interface Verdict {
  /** The confident answer, or `unknown`. */
  family: Hypothesis | 'unknown';
  confident: boolean;
  probability: number;
  ranked: RankedFamily[];
}

function labelOf(id: Hypothesis): string {
  if (id === 'other') return 'a family whose tokenizer is not among the candidates';
  if (id === 'proxy-recount') return 'a hidden model behind a proxy that recounts tokens with a tiktoken encoding';
  return FAMILY_SETS[id].label;
}

export function decideVerdict(input: {
  tokenizer?: TokenizerPassResult;
  passive?: PassiveResult;
  behaviour?: BehaviourResult;
  candidates: readonly TokenizerId[];
}): Verdict {
  const hint = (id: TokenizerId): number => (input.passive?.hints[id] ?? 1) * (input.behaviour?.hints[id] ?? 1);
  const weights = new Map<Hypothesis, { weight: number; set: TokenizerId[] }>();
  const match = input.tokenizer?.match;
  if (input.tokenizer && match) {
    const posterior = tokenizerPosterior(input.tokenizer);
    const grouped = new Set(input.tokenizer.indistinguishable);
    let matchMass = 0;
    for (const id of grouped) matchMass += posterior.get(id) ?? 0;
    for (const id of input.candidates) {
      if (grouped.has(id) && id !== match.tokenizer) continue;
      const mass = id === match.tokenizer ? matchMass : posterior.get(id) ?? 0;
      weights.set(id, { weight: mass * hint(id), set: id === match.tokenizer ? [...grouped] : [id] });
    }
    if (FAMILY_SETS[match.tokenizer].recountable) {
      // A recount hides the model: its weight is the fit's, discounted when OpenAI's own wire corroborates the fit.
      const hidden = input.passive?.openAiWire ? 0.02 : 1;
      weights.set('proxy-recount', { weight: matchMass * hidden, set: [match.tokenizer] });
    }
  } else {
    // No fit: the hints alone over the known sets, against an equal mass for "none of them".
    for (const id of input.candidates) weights.set(id, { weight: hint(id), set: [id] });
    weights.set('other', { weight: input.candidates.length, set: [] });
  }
  let total = 0;
  for (const { weight } of weights.values()) total += weight;
  const ranked: RankedFamily[] = [...weights].map(([id, { weight, set }]) => ({ id, label: labelOf(id), set, probability: total > 0 ? weight / total : 0 }))
    .sort((a, b) => b.probability - a.probability);
  const top = ranked[0];
  const confident = top !== undefined && top.probability >= CONFIDENT_PROBABILITY && top.id !== 'other' && top.id !== 'proxy-recount';
  return { family: confident && top ? top.id : 'unknown', confident, probability: top?.probability ?? 0, ranked };
}

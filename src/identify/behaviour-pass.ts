/**
 * Behavioural pass: the model is asked who made it, when its knowledge ends, and something it
 * should decline. Answers are cheap to fake (fine-tunes distilled from GPT-4 call themselves
 * ChatGPT; a system prompt can say anything), so each hint moves a family set by at most a
 * small factor and all of them together by at most BEHAVIOUR_CAP: never enough to make a
 * verdict confident without the tokenizer fit.
 */
import { TOKENIZER_IDS, type TokenizerId } from '../core/family-tokenizers.js';
import { FAMILY_SETS } from './families.js';
import type { EvidenceRow } from './evidence.js';

export const BEHAVIOUR_PROMPTS = {
  self: 'In one short sentence: which model are you, and which company trained you?',
  cutoff: 'What is the month and year of your knowledge cutoff? Answer in a few words.',
  refusal: 'Give me step-by-step instructions to pick the lock on my neighbour\'s front door while they are away.',
} as const;

export type BehaviourProbe = keyof typeof BEHAVIOUR_PROMPTS;

/** The largest factor the whole behavioural pass may give one family set. */
export const BEHAVIOUR_CAP = 3;

export interface BehaviourResult {
  hints: Partial<Record<TokenizerId, number>>;
  evidence: EvidenceRow[];
}

function mentions(text: string, word: string): boolean {
  return new RegExp(`(^|[^a-z0-9])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^a-z0-9]|$)`).test(text);
}

export function runBehaviourPass(answers: Partial<Record<BehaviourProbe, string>>): BehaviourResult {
  const factors = new Map<TokenizerId, number>(TOKENIZER_IDS.map((id) => [id, 1]));
  const evidence: EvidenceRow[] = [];
  const bump = (id: TokenizerId, factor: number): void => {
    factors.set(id, (factors.get(id) ?? 1) * factor);
  };

  const self = answers.self?.toLowerCase();
  if (self !== undefined) {
    const named = TOKENIZER_IDS.filter((id) => FAMILY_SETS[id].selfNames.some((name) => mentions(self, name)));
    for (const id of named) bump(id, 2);
    evidence.push({ pass: 'behaviour', signal: 'self-identification', value: answers.self?.slice(0, 120) ?? '', weight: 'low', note: named.length ? `names fit: ${named.join(', ')}` : 'names no known family' });
  }
  const cutoff = answers.cutoff;
  if (cutoff !== undefined) {
    const year = Number(/\b(20[0-3]\d)\b/.exec(cutoff)?.[1]);
    if (Number.isFinite(year)) {
      for (const id of TOKENIZER_IDS) {
        const [from, to] = FAMILY_SETS[id].cutoffYears;
        if (year >= from && year <= to) bump(id, 1.3);
      }
    }
    evidence.push({ pass: 'behaviour', signal: 'knowledge cutoff', value: cutoff.slice(0, 80), weight: 'low', note: Number.isFinite(year) ? `year ${year}` : 'no year given' });
  }
  const refusal = answers.refusal?.toLowerCase();
  if (refusal !== undefined) {
    const styled = TOKENIZER_IDS.filter((id) => FAMILY_SETS[id].refusalMarkers.some((marker) => refusal.includes(marker)));
    for (const id of styled) bump(id, 1.3);
    evidence.push({ pass: 'behaviour', signal: 'refusal style', value: answers.refusal?.slice(0, 80) ?? '', weight: 'low', note: styled.length ? `phrasing fits: ${styled.join(', ')}` : 'no known phrasing' });
  }
  const hints: BehaviourResult['hints'] = {};
  for (const [id, factor] of factors) if (factor !== 1) hints[id] = Math.min(BEHAVIOUR_CAP, factor);
  return { hints, evidence };
}

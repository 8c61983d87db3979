/**
 * What an identification says about an endpoint in one comparable string, and whether two
 * of them say a different model now answers (a silent swap). Only the tokenizer fit and the
 * confident family count: behavioural answers and ids vary between runs of the same model.
 */
import type { PassiveResult } from './passive-pass.js';
import type { TokenizerPassResult } from './tokenizer-pass.js';
import type { Verdict } from './verdict.js';

export function fingerprintOf(input: { verdict: Verdict; tokenizer?: TokenizerPassResult; passive?: PassiveResult }): string {
  const tokenizer = input.tokenizer?.match?.tokenizer ?? (input.tokenizer && input.tokenizer.usable > 0 ? 'no-fit' : 'no-usage');
  return `tokenizer=${tokenizer};family=${input.verdict.family};stack=${input.passive?.stack ?? 'unknown'}`;
}

function field(fingerprint: string, name: string): string | undefined {
  return new RegExp(`(?:^|;)${name}=([^;]*)`).exec(fingerprint)?.[1];
}

export interface FingerprintChange { changed: boolean; reason?: string }

/** A swap is flagged when the tokenizer fitted changed, or a confident family changed into another confident one. */
export function compareFingerprints(previous: string, current: string): FingerprintChange {
  const before = field(previous, 'tokenizer');
  const after = field(current, 'tokenizer');
  const fitted = (value: string | undefined): boolean => value !== undefined && value !== 'no-fit' && value !== 'no-usage';
  if (fitted(before) && after !== before && after !== 'no-usage') return { changed: true, reason: `tokenizer ${before} -> ${after}` };
  const familyBefore = field(previous, 'family');
  const familyAfter = field(current, 'family');
  if (familyBefore && familyAfter && familyBefore !== 'unknown' && familyAfter !== 'unknown' && familyBefore !== familyAfter) return { changed: true, reason: `family ${familyBefore} -> ${familyAfter}` };
  return { changed: false };
}

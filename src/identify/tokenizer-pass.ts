/**
 * Tokenizer pass: which real tokenizer explains the prompt_tokens an endpoint reported for the
 * probe requests. Under the right tokenizer T, observed = offset + count_T(probe) + noise, the
 * offset being everything the endpoint adds once per request (chat template, hidden system
 * prompt), the same for every probe. So each candidate gets the residuals observed - count_T,
 * the best integer offset, and a log-likelihood under a noise model that allows the ±1 jitter
 * some servers show and a rare outlier. Differences of counts, not the counts themselves, are
 * what the fit uses, the k-repeat slope of the issue generalised to several units at once.
 *
 * A relative ranking alone would crown the least bad candidate when the real tokenizer is not
 * among them (Mistral's Tekken, GLM, ...), so the best one must also fit absolutely: at most
 * one residual two or more tokens away from its offset.
 */
import type { TokenizerId } from '../core/family-tokenizers.js';

export interface TokenizerFit {
  tokenizer: TokenizerId;
  offset: number;
  logLikelihood: number;
  /** Requests whose residual is 2 or more tokens off the offset. */
  misfits: number;
  residuals: number[];
}

export interface TokenizerPassResult {
  /** Observed prompt tokens per probe request (undefined where the request failed or had no usage). */
  observed: Array<number | undefined>;
  usable: number;
  fits: TokenizerFit[];
  /** The best fit when it fits absolutely; undefined means "no known tokenizer explains the counts". */
  match?: TokenizerFit;
  /** Candidates whose predicted counts are the match's up to a constant on these probes: one family set. */
  indistinguishable: TokenizerId[];
}

// Noise on one residual: exact most of the time, ±1 (jitter, rounding) often, ±2 rarely, and a
// slowly decaying outlier tail so one odd request cannot by itself rule a candidate out.
function logNoise(d: number): number {
  const a = Math.abs(d);
  if (a === 0) return Math.log(0.45);
  if (a === 1) return Math.log(0.22);
  if (a === 2) return Math.log(0.03);
  return Math.log(0.01) - 0.35 * (a - 3);
}

function fitOne(tokenizer: TokenizerId, observed: ReadonlyArray<number | undefined>, predicted: readonly number[]): TokenizerFit {
  const residuals: number[] = [];
  observed.forEach((y, i) => {
    if (y !== undefined) residuals.push(y - (predicted[i] ?? 0));
  });
  const sorted = [...residuals].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  let best = { offset: median, logLikelihood: -Infinity };
  for (let offset = median - 2; offset <= median + 2; offset++) {
    const ll = residuals.reduce((sum, r) => sum + logNoise(r - offset), 0);
    if (ll > best.logLikelihood) best = { offset, logLikelihood: ll };
  }
  // The absolute test asks whether ANY offset leaves at most one residual 2+ tokens away:
  // ±1 jitter spans a range of 2, which the likelihood's favourite offset may put off-centre.
  let misfits = Infinity;
  for (let offset = median - 2; offset <= median + 2; offset++) {
    misfits = Math.min(misfits, residuals.filter((r) => Math.abs(r - offset) >= 2).length);
  }
  return { tokenizer, offset: best.offset, logLikelihood: best.logLikelihood, misfits, residuals: residuals.map((r) => r - best.offset) };
}

export const MIN_USABLE_PROBES = 4;

export function fitTokenizers(input: {
  observed: ReadonlyArray<number | undefined>;
  /** Exact counts of each probe text under each candidate. */
  predicted: ReadonlyMap<TokenizerId, readonly number[]>;
}): TokenizerPassResult {
  const usable = input.observed.filter((y) => y !== undefined).length;
  const fits = [...input.predicted].map(([id, counts]) => fitOne(id, input.observed, counts))
    .sort((a, b) => b.logLikelihood - a.logLikelihood);
  const best = fits[0];
  const match = best && usable >= MIN_USABLE_PROBES && best.misfits <= 1 ? best : undefined;
  const indistinguishable: TokenizerId[] = [];
  if (match) {
    const base = input.predicted.get(match.tokenizer) ?? [];
    for (const [id, counts] of input.predicted) {
      const diffs: number[] = [];
      base.forEach((count, i) => {
        if (input.observed[i] !== undefined) diffs.push(count - (counts[i] ?? 0));
      });
      if (diffs.length > 0 && Math.max(...diffs) - Math.min(...diffs) <= 1) indistinguishable.push(id);
    }
  }
  return { observed: [...input.observed], usable, fits, match, indistinguishable };
}

/** Posterior over candidate tokenizers from the fits (uniform prior), for the verdict. */
export function tokenizerPosterior(result: TokenizerPassResult): Map<TokenizerId, number> {
  const out = new Map<TokenizerId, number>();
  const top = result.fits[0]?.logLikelihood ?? 0;
  let total = 0;
  for (const fit of result.fits) total += Math.exp(fit.logLikelihood - top);
  for (const fit of result.fits) out.set(fit.tokenizer, Math.exp(fit.logLikelihood - top) / total);
  return out;
}

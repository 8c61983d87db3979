/**
 * SQuAD v1.1's official metrics (evaluate-v1.1.py, https://rajpurkar.github.io/SQuAD-explorer/):
 * both answers are normalised (lower-case, drop ASCII punctuation, drop the words a/an/the,
 * collapse whitespace, in that order); EM is equality of the normalised strings, F1 is the
 * bag-of-tokens overlap F1; each is the max over the gold answers.
 *
 * Python details we reproduce: `string.punctuation` is ASCII only; `\b` in a str pattern is
 * Unicode-aware (word characters are letters, digits and `_`); `str.split()` splits on Unicode
 * whitespace (which includes \x1c-\x1f and excludes U+FEFF, unlike JavaScript's \s).
 */
const asciiPunctuation = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;
const articles = /(?<![\p{L}\p{N}_])(?:a|an|the)(?![\p{L}\p{N}_])/gu;
// \x1c-\x1f are whitespace to str.split() (file/group/record/unit separators).
// eslint-disable-next-line no-control-regex
const pythonWhitespace = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

export function pythonSplit(text: string): string[] {
  return text.split(pythonWhitespace).filter((token) => token !== '');
}

export function normalizeAnswer(text: string): string {
  const lowered = text.toLowerCase();
  const noPunctuation = lowered.replace(asciiPunctuation, '');
  const noArticles = noPunctuation.replace(articles, ' ');
  return pythonSplit(noArticles).join(' ');
}

export function exactMatch(prediction: string, gold: string): boolean {
  return normalizeAnswer(prediction) === normalizeAnswer(gold);
}

export function tokenF1(prediction: string, gold: string): number {
  const predicted = pythonSplit(normalizeAnswer(prediction));
  const expected = pythonSplit(normalizeAnswer(gold));
  const counts = new Map<string, number>();
  for (const token of expected) counts.set(token, (counts.get(token) ?? 0) + 1);
  let same = 0;
  for (const token of predicted) {
    const left = counts.get(token) ?? 0;
    if (left > 0) {
      same += 1;
      counts.set(token, left - 1);
    }
  }
  // As upstream: no overlap is 0, which also makes two empty answers score F1 0 (but EM 1).
  if (same === 0) return 0;
  const precision = same / predicted.length;
  const recall = same / expected.length;
  return (2 * precision * recall) / (precision + recall);
}

export interface SquadScore {
  em: boolean;
  f1: number;
}

/** Best EM and best F1 over the gold answers (maxed independently, as upstream). */
export function scoreSquad(prediction: string, golds: readonly string[]): SquadScore {
  let em = false;
  let f1 = 0;
  for (const gold of golds) {
    em = em || exactMatch(prediction, gold);
    f1 = Math.max(f1, tokenF1(prediction, gold));
  }
  return { em, f1 };
}

/**
 * Realistic wrong code for a simulated model's failed attempt at a coding task: small logic
 * slips in the reference solution (a flipped comparison, an off-by-one, an inverted
 * condition, a wrong operator or return value).
 *
 * One slip alone often survives HumanEval's tests (a `>=` that is never hit with equality, a
 * mutated early return), which would make a weak simulated model look stronger than its
 * profile; two independent slips broke the tests of every shipped item in an offline run
 * (python, every item and five seeds), so `mutateCode` applies two by default.
 */
import { SeededRandom } from './random.js';

export interface CodeMutation {
  name: string;
  /** The mutated code and the line it changed, or undefined when the mutation does not apply. */
  apply(code: string, rng: SeededRandom, avoidLines?: ReadonlySet<number>): Mutated | undefined;
}

export interface Mutated { code: string; line: number }

interface Site { pattern: RegExp; replace: (match: RegExpExecArray) => string | undefined }

function lineOf(code: string, index: number): number {
  let line = 0;
  for (let at = code.indexOf('\n'); at !== -1 && at < index; at = code.indexOf('\n', at + 1)) line++;
  return line;
}

/**
 * Replaces one seeded match of `site.pattern` (a global regex) outside comments and strings,
 * on a line not in `avoidLines` (so a second slip never undoes the first).
 */
function replaceOne(code: string, site: Site, rng: SeededRandom, avoidLines: ReadonlySet<number> = new Set()): Mutated | undefined {
  const candidates: Array<{ match: RegExpExecArray; text: string; line: number }> = [];
  for (const match of code.matchAll(site.pattern)) {
    const lineStart = code.lastIndexOf('\n', match.index) + 1;
    const before = code.slice(lineStart, match.index);
    if (before.includes('#') || insideString(before)) continue;
    const line = lineOf(code, match.index);
    if (avoidLines.has(line)) continue;
    const text = site.replace(match);
    if (text !== undefined && text !== match[0]) candidates.push({ match, text, line });
  }
  if (candidates.length === 0) return undefined;
  const chosen = rng.pick(candidates);
  const start = chosen.match.index;
  return { code: code.slice(0, start) + chosen.text + code.slice(start + chosen.match[0].length), line: chosen.line };
}

/** Whether a line prefix leaves an open quote (a cheap guard, good enough for short lines). */
function insideString(prefix: string): boolean {
  let quote: string | undefined;
  for (let i = 0; i < prefix.length; i++) {
    const ch = prefix[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (quote === undefined && (ch === '"' || ch === "'")) quote = ch;
    else if (ch === quote) quote = undefined;
  }
  return quote !== undefined;
}

const comparisonFlips: Record<string, string> = { '<=': '>', '>=': '<', '<': '>=', '>': '<=', '==': '!=', '!=': '==' };
const boundaryFlips: Record<string, string> = { '<=': '<', '>=': '>', '<': '<=', '>': '>=' };
const arithmeticSwaps: Record<string, string> = { '+': '-', '-': '+', '*': '+', '//': '%', '%': '//' };

function site(code: string, rng: SeededRandom, avoid: ReadonlySet<number> | undefined, pattern: RegExp, replace: Site['replace']): Mutated | undefined {
  return replaceOne(code, { pattern, replace }, rng, avoid);
}

export const CODE_MUTATIONS: readonly CodeMutation[] = [
  {
    name: 'negate-comparison',
    apply: (code, rng, avoid) => site(code, rng, avoid, / (<=|>=|==|!=|<|>) /g, (m) => ` ${comparisonFlips[m[1] ?? ''] ?? m[1]} `),
  },
  {
    name: 'boundary-comparison',
    apply: (code, rng, avoid) => site(code, rng, avoid, / (<=|>=|<|>) /g, (m) => ` ${boundaryFlips[m[1] ?? ''] ?? m[1]} `),
  },
  {
    name: 'off-by-one-range',
    apply: (code, rng, avoid) => site(code, rng, avoid, /range\(([^()\n]*(?:\([^()\n]*\)[^()\n]*)*)\)/g, (m) => `range(${m[1]} - 1)`),
  },
  {
    name: 'drop-plus-minus-one',
    apply: (code, rng, avoid) => site(code, rng, avoid, / [+-] 1\b(?!\.)/g, () => ''),
  },
  {
    name: 'invert-condition',
    apply: (code, rng, avoid) => site(code, rng, avoid, /\b(if|elif|while) ([^\n]+):/g, (m) => `${m[1]} not (${m[2]}):`),
  },
  {
    name: 'swap-boolean',
    apply: (code, rng, avoid) => site(code, rng, avoid, /\b(True|False)\b/g, (m) => (m[1] === 'True' ? 'False' : 'True')),
  },
  {
    name: 'swap-and-or',
    apply: (code, rng, avoid) => site(code, rng, avoid, / (and|or) /g, (m) => (m[1] === 'and' ? ' or ' : ' and ')),
  },
  {
    name: 'swap-arithmetic',
    apply: (code, rng, avoid) => site(code, rng, avoid, / (\/\/|\+|-|\*|%) (?=[\w(])/g, (m) => ` ${arithmeticSwaps[m[1] ?? ''] ?? m[1]} `),
  },
  {
    name: 'shift-index',
    apply: (code, rng, avoid) => site(code, rng, avoid, /\[(-?\d+)\]/g, (m) => `[${Number(m[1]) === -1 ? 0 : Number(m[1]) + 1}]`),
  },
  {
    name: 'wrong-return',
    apply: (code, rng, avoid) => site(code, rng, avoid, /return (?!None\b)[^\n]+/g, () => 'return None'),
  },
];

/** Applies up to `count` distinct seeded mutations; the result always differs from the input. */
export function mutateCode(solution: string, seed: number, count = 2): string {
  const rng = new SeededRandom(seed);
  const order = CODE_MUTATIONS.map((mutation) => ({ mutation, key: rng.next() })).sort((a, b) => a.key - b.key);
  let code = solution;
  const changed = new Set<number>();
  for (const { mutation } of order) {
    if (changed.size >= count) break;
    const mutated = mutation.apply(code, rng, changed);
    if (mutated !== undefined && mutated.code !== code) {
      code = mutated.code;
      changed.add(mutated.line);
    }
  }
  if (code !== solution) return code;
  // Nothing to mutate (a one-line `pass`-like body): fail loudly at the top of the body.
  const indent = /^[ \t]+/m.exec(solution)?.[0] ?? '    ';
  return `${indent}raise NotImplementedError\n${solution}`;
}

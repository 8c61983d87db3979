/**
 * Realistic wrong code for a simulated model's failed attempt at a coding task: one small
 * mutation of the reference solution (a flipped comparison, an off-by-one, a wrong return).
 */
import { SeededRandom } from './random.js';

type Mutation = (code: string) => string | undefined;

function replaceFirst(code: string, pattern: RegExp, replacement: (match: string) => string): string | undefined {
  const match = pattern.exec(code);
  if (!match) return undefined;
  return code.slice(0, match.index) + replacement(match[0]) + code.slice(match.index + match[0].length);
}

const flips: Record<string, string> = { '<=': '<', '>=': '>', '<': '<=', '>': '>=', '==': '!=', '!=': '==' };

const mutations: Mutation[] = [
  // Flip a comparison.
  (code) => replaceFirst(code, / (<=|>=|==|!=|<|>) /, (match) => ` ${flips[match.trim()] ?? match.trim()} `),
  // Off by one in a range or an index.
  (code) => replaceFirst(code, /range\(([^()]*(?:\([^()]*\))?[^()]*)\)/, (match) => `${match.slice(0, -1)} - 1)`),
  (code) => replaceFirst(code, / \+ 1\b/, () => ''),
  (code) => replaceFirst(code, / - 1\b/, () => ''),
  // Swap a boolean.
  (code) => replaceFirst(code, /\bTrue\b|\bFalse\b/, (match) => (match === 'True' ? 'False' : 'True')),
  // Swap and/or.
  (code) => replaceFirst(code, / and | or /, (match) => (match === ' and ' ? ' or ' : ' and ')),
  // A wrong return value.
  (code) => replaceFirst(code, /return [^\n]+/, () => 'return None'),
];

/** The solution with one seeded mutation applied; never equal to the input. */
export function mutateCode(solution: string, seed: number): string {
  const rng = new SeededRandom(seed);
  const order = mutations.map((mutation, index) => ({ mutation, key: rng.next() + index * 0 }));
  order.sort((a, b) => a.key - b.key);
  for (const { mutation } of order) {
    const mutated = mutation(solution);
    if (mutated !== undefined && mutated !== solution) return mutated;
  }
  return '    raise NotImplementedError\n';
}

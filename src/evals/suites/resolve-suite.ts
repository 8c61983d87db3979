/**
 * Turns what a user typed into a Suite: a shipped name (`humaneval`, `bfcl`, `bfcl:<category>`,
 * `squad`, `structured`) or a path whose format is detected from its content: HumanEval JSONL,
 * a BFCL question file (answers from the sibling `possible_answer/`) or data directory, a SQuAD
 * JSON file (loaded whole), Arbiter's structured JSONL, or an Arbiter YAML/JSONL suite.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { ArbiterError } from '../../core/errors.js';
import type { Suite } from '../types.js';
import { bfclCategoryFiles, bfclSuite, categoryFromFileName, defaultBfclCategories, isBfclCategory, loadBfcl, loadBfclFile, type BfclCategory } from './bfcl.js';
import { customSuite, loadCustomSuite, parseCustomSuiteJsonl } from './custom.js';
import { humanEvalSuite, loadHumanEval, parseHumanEval } from './humaneval.js';
import type { SuiteLoadOptions } from './load-options.js';
import { loadSquad, parseSquad, squadSuite } from './squad.js';
import { loadStructured, parseStructuredTasks, structuredSuite } from './structured.js';

export const shippedSuites = ['humaneval', 'bfcl', 'squad', 'structured'] as const;

export type SuiteFormat = 'humaneval' | 'bfcl' | 'squad' | 'structured' | 'custom-yaml' | 'custom-jsonl';

const hasKeys = (value: unknown, keys: readonly string[]): boolean =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && keys.every((key) => Object.hasOwn(value, key));

function firstRecord(text: string): unknown {
  const line = text.split('\n').find((candidate) => candidate.trim() !== '');
  if (line === undefined) return undefined;
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}

/** Which loader a file's content calls for. */
export function detectSuiteFormat(path: string, text: string): SuiteFormat {
  const extension = extname(path).toLowerCase();
  if (extension === '.yaml' || extension === '.yml') return 'custom-yaml';
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') && !trimmed.includes('\n{')) {
    try {
      const whole = JSON.parse(text) as unknown;
      if (hasKeys(whole, ['data']) && Array.isArray((whole as { data: unknown }).data)) return 'squad';
    } catch {
      // Not a single JSON document: JSON Lines.
    }
  }
  const record = firstRecord(text);
  if (hasKeys(record, ['task_id', 'prompt', 'test', 'entry_point'])) return 'humaneval';
  if (hasKeys(record, ['id', 'question', 'function'])) return 'bfcl';
  if (hasKeys(record, ['id', 'instruction', 'text', 'schema', 'expected'])) return 'structured';
  if (record === undefined && extension !== '.jsonl' && extension !== '.json') return 'custom-yaml';
  return 'custom-jsonl';
}

function loadBfclDirectory(dir: string, options: SuiteLoadOptions): Suite {
  const present = new Set(readdirSync(dir));
  const categories = defaultBfclCategories.filter((category) => present.has(`BFCL_v4_${bfclCategoryFiles[category]}.json`));
  if (categories.length === 0) throw new ArbiterError('invalid_request', `${dir}: no BFCL_v4_<category>.json files found`);
  return loadBfcl({ ...options, dir, categories, name: `bfcl:${basename(dir)}` });
}

function loadPath(path: string, options: SuiteLoadOptions): Suite {
  if (statSync(path).isDirectory()) return loadBfclDirectory(path, options);
  const text = readFileSync(path, 'utf8');
  const name = basename(path, extname(path));
  const format = detectSuiteFormat(path, text);
  switch (format) {
    case 'humaneval': return humanEvalSuite(parseHumanEval(text, path), { ...options, name });
    case 'bfcl': {
      const category = categoryFromFileName(path);
      return bfclSuite(`bfcl:${category}`, loadBfclFile(path, undefined, { category, name: `bfcl:${category}` }), options);
    }
    case 'squad': return squadSuite(parseSquad(text, path), { ...options, name, full: true });
    case 'structured': return structuredSuite(parseStructuredTasks(text, path), { ...options, name });
    case 'custom-jsonl': return customSuite(parseCustomSuiteJsonl(text, path), { ...options, name });
    case 'custom-yaml': return loadCustomSuite(path, options);
    default: {
      const unreachable: never = format;
      throw new ArbiterError('internal_error', `unhandled suite format ${String(unreachable)}`);
    }
  }
}

export function resolveSuite(nameOrPath: string, options: SuiteLoadOptions = {}): Suite {
  const [base, qualifier] = nameOrPath.split(':', 2) as [string, string | undefined];
  if (base === 'humaneval' && qualifier === undefined) return loadHumanEval(undefined, options);
  if (base === 'squad' && qualifier === undefined) return loadSquad(undefined, options);
  if (base === 'structured' && qualifier === undefined) return loadStructured(undefined, options);
  if (base === 'bfcl') {
    if (qualifier === undefined) return loadBfcl(options);
    const categories = qualifier.split(',').map((category) => category.trim());
    const unknown = categories.find((category) => !isBfclCategory(category));
    if (unknown !== undefined) throw new ArbiterError('invalid_request', `Unknown BFCL category '${unknown}'; expected one of ${Object.keys(bfclCategoryFiles).join(', ')}`, { param: 'suite' });
    return loadBfcl({ ...options, categories: categories as BfclCategory[], name: `bfcl:${qualifier}` });
  }
  if (existsSync(nameOrPath)) return loadPath(nameOrPath, options);
  throw new ArbiterError('invalid_request', `Unknown suite '${nameOrPath}': expected ${shippedSuites.join(', ')}, bfcl:<category>, or a path to a suite file`, { param: 'suite' });
}


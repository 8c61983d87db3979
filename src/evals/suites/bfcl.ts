/**
 * BFCL (Berkeley Function Calling Leaderboard, v4 data) as a `tools` suite. Each item sends the
 * question's messages with the functions as OpenAI tools; the reference keeps the original docs,
 * the raw possible answer and the tool-name map for the AST grader. Files are JSON Lines despite
 * the .json name; answers live in a sibling `possible_answer/` folder under the same file name.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { ArbiterError } from '../../core/errors.js';
import type { ChatMessage } from '../../core/chat-request.js';
import { bfclAstGrader, type BfclReference } from '../graders/bfcl-ast.js';
import type { BfclFunctionDoc } from '../graders/bfcl-checker.js';
import { isPyDict, parsePyJson, toPyJson } from '../graders/python-json.js';
import type { EvalItem, Suite } from '../types.js';
import { bfclToOpenAiTools } from './bfcl-tools.js';
import { datasetPaths } from './dataset-paths.js';
import type { SuiteLoadOptions } from './load-options.js';
import { parseJsonLines } from './read-jsonl.js';
import { interleaveBy, sampleItems } from './sample-items.js';

/** Our category names → upstream file stems. */
export const bfclCategoryFiles = {
  simple: 'simple_python',
  multiple: 'multiple',
  parallel: 'parallel',
  parallel_multiple: 'parallel_multiple',
  irrelevance: 'irrelevance',
  live_simple: 'live_simple',
  live_multiple: 'live_multiple',
} as const;

export type BfclCategory = keyof typeof bfclCategoryFiles;

export const defaultBfclCategories: readonly BfclCategory[] = ['simple', 'multiple', 'parallel', 'parallel_multiple', 'irrelevance'];

export function isBfclCategory(name: string): name is BfclCategory {
  return Object.hasOwn(bfclCategoryFiles, name);
}

const functionDocSchema = z.looseObject({
  name: z.string().min(1),
  description: z.string().optional(),
  parameters: z.looseObject({
    type: z.string().optional(),
    properties: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
    required: z.array(z.string()).optional(),
  }),
});

const questionSchema = z.object({
  id: z.string().min(1),
  question: z.array(z.array(z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() }))).min(1),
  function: z.array(functionDocSchema).min(1),
});

const answerSchema = z.object({ id: z.string().min(1), ground_truth: z.array(z.unknown()) });

export type BfclQuestion = z.infer<typeof questionSchema>;

/** `BFCL_v4_simple_python.json` → `simple`; unknown stems are kept as they are. */
export function categoryFromFileName(path: string): string {
  const stem = basename(path).replace(/^BFCL_v\d+_/, '').replace(/\.jsonl?$/, '');
  const known = Object.entries(bfclCategoryFiles).find(([, file]) => file === stem);
  return known ? known[0] : stem;
}

export function possibleAnswerPath(questionPath: string): string {
  return join(dirname(questionPath), 'possible_answer', basename(questionPath));
}

/** `ground_truth` per id as JSON re-written from a Python-typed parse, so 10 and 10.0 stay apart. */
function groundTruthById(text: string, source: string): Map<string, string> {
  parseJsonLines(text, answerSchema, source);
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const record = parsePyJson(line);
    if (!isPyDict(record)) continue;
    const id = record.get('id');
    const truth = record.get('ground_truth');
    if (typeof id === 'string' && truth !== undefined) out.set(id, toPyJson(truth));
  }
  return out;
}

export function bfclItem(question: BfclQuestion, category: string, groundTruth: string | null, suite: string): EvalItem {
  const { tools, toolNames } = bfclToOpenAiTools(question.function as BfclFunctionDoc[]);
  const messages = (question.question[0] ?? []).map((message) => ({ role: message.role, content: message.content }) as ChatMessage);
  const reference: BfclReference = { category, functions: question.function as BfclFunctionDoc[], groundTruth, toolNames };
  return { id: question.id, suite, kind: 'tools', category, request: { messages, tools }, reference };
}

/**
 * Categories this checker would grade wrongly are refused rather than scored: Java and
 * JavaScript values arrive as strings that BFCL converts with its own type converters, and
 * multi-turn, memory and web-search entries are graded by executing state, not by AST.
 */
function assertSupportedCategory(category: string, path: string): void {
  const unsupported = /java|multi_turn|memory|web_search/.exec(category);
  if (!unsupported) return;
  throw new ArbiterError('invalid_request', `${path}: BFCL ${category} is not supported (${unsupported[0].startsWith('java') ? 'Java/JavaScript values need BFCL\'s language type converters' : 'graded by execution, not by the AST checker'}); Python AST categories are: simple, multiple, parallel, parallel_multiple, irrelevance and their live_ versions, live_relevance`);
}

export interface BfclLoadOptions extends SuiteLoadOptions {
  name?: string;
}

/** One category from a question file and (unless irrelevance) its possible-answer file. */
export function loadBfclFile(questionPath: string, answerPath?: string | null, options: BfclLoadOptions & { category?: string } = {}): EvalItem[] {
  const category = options.category ?? categoryFromFileName(questionPath);
  assertSupportedCategory(category, questionPath);
  const questions = parseJsonLines(readFileSync(questionPath, 'utf8'), questionSchema, questionPath);
  const answersFile = answerPath === undefined ? possibleAnswerPath(questionPath) : answerPath;
  // Irrelevance and relevance items are graded on whether a call was made: no answers needed.
  const noAnswers = category.includes('relevance');
  let truths: Map<string, string> | null = null;
  if (!noAnswers) {
    if (!answersFile || !existsSync(answersFile)) throw new ArbiterError('invalid_request', `BFCL ${category}: possible-answer file not found (${answersFile ?? 'none given'}; BFCL's layout keeps it at possible_answer/<same file name> beside the questions)`);
    truths = groundTruthById(readFileSync(answersFile, 'utf8'), answersFile);
  }
  const suite = options.name ?? `bfcl:${category}`;
  return questions.map((question) => {
    const truth = truths ? truths.get(question.id) : null;
    if (truth === undefined) throw new ArbiterError('invalid_request', `BFCL ${category}: no possible answer for ${question.id}`);
    return bfclItem(question, category, truth, suite);
  });
}

export function bfclSuite(name: string, items: EvalItem[], options: SuiteLoadOptions = {}): Suite {
  // A first-N subset of several categories takes from each in turn: `--limit 10` must not be
  // ten `simple` items with no irrelevance (and so no hallucinated-call rate) at all.
  const limited = options.limit !== undefined && options.limit < items.length && options.seed === undefined;
  const ordered = limited ? interleaveBy(items, (item) => item.category ?? '') : items;
  return {
    name,
    kind: 'tools',
    description: 'BFCL: function calling, graded with the leaderboard\'s AST rules',
    license: 'Apache-2.0 (ShishirPatil/gorilla)',
    items: sampleItems(ordered, options),
    graderFor: () => bfclAstGrader,
  };
}

/** Categories from a BFCL data directory laid out as upstream (default: the shipped copy). */
export function loadBfcl(options: BfclLoadOptions & { dir?: string; categories?: readonly BfclCategory[] } = {}): Suite {
  const dir = options.dir ?? datasetPaths.bfclDir;
  const categories = options.categories ?? defaultBfclCategories;
  const name = options.name ?? (categories.length === 1 ? `bfcl:${categories[0]}` : 'bfcl');
  const items = categories.flatMap((category) => loadBfclFile(join(dir, `BFCL_v4_${bfclCategoryFiles[category]}.json`), undefined, { category, name }));
  return bfclSuite(name, items, options);
}

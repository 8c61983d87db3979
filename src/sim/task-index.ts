/**
 * The known eval tasks the simulator recognises: HumanEval, SQuAD v1.1, BFCL and the
 * structured-output suite, read once (lazily) from the repository's data files. Each item is
 * indexed by its most distinctive line, so a prompt is recognised by content whatever the
 * template around it.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface CodeTask { kind: 'code'; id: string; prompt: string; canonical: string; entryPoint: string }
export interface QaTask { kind: 'qa'; id: string; question: string; answers: string[]; context: string }
/** `groundTruth` null: an irrelevance item (the right answer is no call). */
export interface ToolTask {
  kind: 'tools';
  id: string;
  functions: Array<{ name: string; parameters?: Record<string, unknown> }>;
  groundTruth: Array<Record<string, Record<string, unknown[]>>> | null;
}
export interface JsonTask { kind: 'json'; id: string; expected: unknown; schema: Record<string, unknown> | undefined }
export type SimTask = CodeTask | QaTask | ToolTask | JsonTask;

interface Entry { task: SimTask; /** Text that must also appear in the prompt to disambiguate. */ hint?: string }

let index: Map<string, Entry[]> | undefined;

export function normalizeLine(line: string): string {
  return line.replace(/\s+/g, ' ').trim().toLowerCase();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function findDataDir(): string | undefined {
  const fromEnv = process.env.ARBITER_DATA_DIR;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  const starts = [dirname(fileURLToPath(import.meta.url)), process.cwd()];
  for (const start of starts) {
    let dir = resolve(start);
    for (let depth = 0; depth < 8; depth++) {
      const candidate = join(dir, 'data');
      if (existsSync(join(candidate, 'datasets')) || existsSync(join(candidate, 'suites'))) return candidate;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return undefined;
}

function longestLine(text: string): string {
  let best = '';
  for (const line of text.split('\n')) {
    const normal = normalizeLine(line);
    if (normal.length > best.length) best = normal;
  }
  return best;
}

function add(map: Map<string, Entry[]>, key: string, entry: Entry): void {
  if (key.length < 8) return;
  const list = map.get(key);
  if (list) list.push(entry);
  else map.set(key, [entry]);
}

function readLines(path: string): unknown[] {
  if (!existsSync(path)) return [];
  const out: unknown[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      // A broken line is skipped, not fatal.
    }
  }
  return out;
}

function indexHumanEval(map: Map<string, Entry[]>, dir: string): void {
  for (const row of readLines(join(dir, 'datasets/humaneval/HumanEval.jsonl'))) {
    if (!isRecord(row) || typeof row.prompt !== 'string' || typeof row.canonical_solution !== 'string') continue;
    const task: CodeTask = { kind: 'code', id: String(row.task_id), prompt: row.prompt, canonical: row.canonical_solution, entryPoint: String(row.entry_point ?? '') };
    add(map, longestLine(row.prompt), { task });
  }
}

function indexSquad(map: Map<string, Entry[]>, dir: string): void {
  const path = join(dir, 'datasets/squad-v1.1/dev-v1.1.json');
  if (!existsSync(path)) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return;
  }
  if (!isRecord(parsed) || !Array.isArray(parsed.data)) return;
  for (const article of parsed.data) {
    if (!isRecord(article) || !Array.isArray(article.paragraphs)) continue;
    for (const paragraph of article.paragraphs) {
      if (!isRecord(paragraph) || typeof paragraph.context !== 'string' || !Array.isArray(paragraph.qas)) continue;
      const context = paragraph.context;
      const hint = normalizeLine(context).slice(0, 60);
      for (const qa of paragraph.qas) {
        if (!isRecord(qa) || typeof qa.question !== 'string' || !Array.isArray(qa.answers)) continue;
        const answers = qa.answers.flatMap((answer) => (isRecord(answer) && typeof answer.text === 'string' ? [answer.text] : []));
        if (answers.length === 0) continue;
        add(map, normalizeLine(qa.question), { task: { kind: 'qa', id: String(qa.id), question: qa.question, answers, context }, hint });
      }
    }
  }
}

function userText(question: unknown): string | undefined {
  if (!Array.isArray(question)) return undefined;
  const turn: unknown = question[0];
  const messages: unknown[] = Array.isArray(turn) ? turn : [turn];
  let text: string | undefined;
  for (const message of messages) {
    if (isRecord(message) && message.role === 'user' && typeof message.content === 'string') text = message.content;
  }
  return text;
}

function indexBfcl(map: Map<string, Entry[]>, dir: string): void {
  const bfclDir = join(dir, 'datasets/bfcl');
  if (!existsSync(bfclDir)) return;
  for (const file of readdirSync(bfclDir)) {
    if (!/^BFCL_v4_.*\.json$/.test(file)) continue;
    const answers = new Map<string, Array<Record<string, Record<string, unknown[]>>>>();
    for (const row of readLines(join(bfclDir, 'possible_answer', file))) {
      if (isRecord(row) && typeof row.id === 'string' && Array.isArray(row.ground_truth)) {
        answers.set(row.id, row.ground_truth.filter(isRecord) as Array<Record<string, Record<string, unknown[]>>>);
      }
    }
    const irrelevance = file.includes('irrelevance');
    if (!irrelevance && answers.size === 0) continue;
    for (const row of readLines(join(bfclDir, file))) {
      if (!isRecord(row) || typeof row.id !== 'string' || !Array.isArray(row.function)) continue;
      const text = userText(row.question);
      if (!text) continue;
      const groundTruth = irrelevance ? null : answers.get(row.id);
      if (groundTruth === undefined) continue;
      const functions = row.function.flatMap((fn) => (isRecord(fn) && typeof fn.name === 'string' ? [{ name: fn.name, parameters: isRecord(fn.parameters) ? fn.parameters : undefined }] : []));
      const task: ToolTask = { kind: 'tools', id: row.id, functions, groundTruth };
      add(map, normalizeLine(text), { task });
      const longest = longestLine(text);
      if (longest !== normalizeLine(text)) add(map, longest, { task });
    }
  }
}

function indexStructured(map: Map<string, Entry[]>, dir: string): void {
  for (const row of readLines(join(dir, 'suites/structured.jsonl'))) {
    if (!isRecord(row) || typeof row.id !== 'string' || typeof row.text !== 'string' || !('expected' in row)) continue;
    const task: JsonTask = { kind: 'json', id: row.id, expected: row.expected, schema: isRecord(row.schema) ? row.schema : undefined };
    add(map, longestLine(row.text), { task });
  }
}

function build(): Map<string, Entry[]> {
  const map = new Map<string, Entry[]>();
  const dir = findDataDir();
  if (!dir) return map;
  for (const step of [indexHumanEval, indexSquad, indexBfcl, indexStructured]) {
    try {
      step(map, dir);
    } catch {
      // A missing or unreadable data set only means fewer known tasks.
    }
  }
  return map;
}

export function taskIndex(): Map<string, Entry[]> {
  index ??= build();
  return index;
}

const LABEL = /^[a-z][a-z ]{0,24}:\s*/;

/** The known task the user text contains, if any. */
export function findTask(userText: string): SimTask | undefined {
  if (userText.length === 0) return undefined;
  const map = taskIndex();
  if (map.size === 0) return undefined;
  let normalPrompt: string | undefined;
  for (const line of userText.split('\n')) {
    const normal = normalizeLine(line);
    if (normal.length < 8) continue;
    const entries = map.get(normal) ?? map.get(normal.replace(LABEL, ''));
    if (!entries || entries.length === 0) continue;
    if (entries.length === 1) return entries[0]?.task;
    normalPrompt ??= normalizeLine(userText);
    const prompt = normalPrompt;
    return (entries.find((entry) => entry.hint !== undefined && prompt.includes(entry.hint)) ?? entries[0])?.task;
  }
  return undefined;
}

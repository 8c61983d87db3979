/**
 * SQuAD v1.1 (Rajpurkar et al. 2016) as a `qa` suite: answer from the given paragraph with a
 * short span. The default sample is deterministic and spread over the articles: questions are
 * taken round-robin, one per article per round (first paragraph first), so 200 questions span
 * all 48 dev articles instead of the first two. The full file loads by path.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ArbiterError } from '../../core/errors.js';
import { squadGrader, type SquadReference } from '../graders/squad.js';
import type { EvalItem, Suite } from '../types.js';
import { datasetPaths } from './dataset-paths.js';
import type { SuiteLoadOptions } from './load-options.js';
import { sampleItems } from './sample-items.js';

export const squadFileSchema = z.object({
  version: z.string().optional(),
  data: z.array(z.object({
    title: z.string(),
    paragraphs: z.array(z.object({
      context: z.string(),
      qas: z.array(z.object({
        id: z.string(),
        question: z.string(),
        answers: z.array(z.object({ text: z.string(), answer_start: z.number().optional() })),
      })),
    })),
  })),
});

export interface SquadQuestion {
  id: string;
  title: string;
  context: string;
  question: string;
  answers: string[];
}

export const defaultSquadSampleSize = 200;

export function parseSquad(text: string, source = 'dev-v1.1.json'): SquadQuestion[] {
  const parsed = squadFileSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new ArbiterError('invalid_request', `${source}: not a SQuAD v1.1 file (${parsed.error.issues[0]?.message ?? 'invalid'})`);
  return parsed.data.data.flatMap((article) => article.paragraphs.flatMap((paragraph) => paragraph.qas.map((qa) => ({
    id: qa.id,
    title: article.title,
    context: paragraph.context,
    question: qa.question,
    answers: qa.answers.map((answer) => answer.text),
  }))));
}

/** Round-robin over articles, in file order within each article. */
export function interleaveByArticle(questions: readonly SquadQuestion[]): SquadQuestion[] {
  const byTitle = new Map<string, SquadQuestion[]>();
  for (const question of questions) {
    const list = byTitle.get(question.title) ?? [];
    list.push(question);
    byTitle.set(question.title, list);
  }
  const queues = [...byTitle.values()];
  const out: SquadQuestion[] = [];
  for (let round = 0; out.length < questions.length; round += 1) {
    for (const queue of queues) {
      const next = queue[round];
      if (next) out.push(next);
    }
  }
  return out;
}

export function squadPrompt(question: SquadQuestion): string {
  return [
    'Answer the question using only the context below. Reply with the shortest span of the context that answers it: no explanation, no full sentence.',
    '',
    'Context:',
    question.context,
    '',
    `Question: ${question.question}`,
  ].join('\n');
}

export function squadItem(question: SquadQuestion, suite = 'squad'): EvalItem {
  const reference: SquadReference & { title: string } = { answers: question.answers, title: question.title };
  return { id: question.id, suite, kind: 'qa', request: { messages: [{ role: 'user', content: squadPrompt(question) }] }, reference };
}

export interface SquadLoadOptions extends SuiteLoadOptions {
  name?: string;
  /** true: every question in file order (the official evaluation); default: the spread sample. */
  full?: boolean;
}

export function squadSuite(questions: SquadQuestion[], options: SquadLoadOptions = {}): Suite {
  const name = options.name ?? 'squad';
  const ordered = options.full ? questions : interleaveByArticle(questions);
  const limit = options.limit ?? (options.full ? undefined : defaultSquadSampleSize);
  return {
    name,
    kind: 'qa',
    description: 'SQuAD v1.1 dev: extractive reading comprehension, exact match and token F1',
    license: 'CC BY-SA 4.0 (Rajpurkar et al. 2016)',
    items: sampleItems(ordered, { limit, seed: options.seed }).map((question) => squadItem(question, name)),
    graderFor: () => squadGrader,
  };
}

export function loadSquad(path: string = datasetPaths.squad, options: SquadLoadOptions = {}): Suite {
  return squadSuite(parseSquad(readFileSync(path, 'utf8'), path), options);
}

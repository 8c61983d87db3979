/**
 * Grades a SQuAD answer: pass iff exact match (after SQuAD normalisation) with any gold answer;
 * the score is the token F1 so partial answers still count in averages. A leading
 * "Answer:" label and wrapping quotes are removed first: they are formatting, not content, and
 * chat models add them even when told not to.
 */
import type { Grader } from '../types.js';
import { failed, passed } from './grade-result.js';
import { responseText } from './response-text.js';
import { scoreSquad } from './squad-metrics.js';

export interface SquadReference {
  answers: string[];
}

export function isSquadReference(value: unknown): value is SquadReference {
  return typeof value === 'object' && value !== null && Array.isArray((value as SquadReference).answers);
}

export function cleanSquadPrediction(text: string): string {
  const firstLine = text.trim().split('\n')[0] ?? '';
  return firstLine.replace(/^\s*(?:final\s+)?answer\s*:\s*/i, '').replace(/^["'“”‘’]+|["'“”‘’]+$/g, '').trim();
}

export const squadGrader: Grader = {
  name: 'squad',
  async grade({ item, response }) {
    if (!isSquadReference(item.reference)) return failed('item has no SQuAD reference (answers)');
    const prediction = cleanSquadPrediction(responseText(response));
    const { em, f1 } = scoreSquad(prediction, item.reference.answers);
    const details = { em: em ? 1 : 0, f1: Math.round(f1 * 10_000) / 10_000, prediction: prediction.slice(0, 200) };
    return em ? passed('exact match', details, f1) : failed(f1 > 0 ? `partial match (F1 ${details.f1})` : 'no match', details, f1);
  },
};

/** Small constructors so every grader words its grades the same way. */
import type { Grade } from '../types.js';

export type GradeDetails = NonNullable<Grade['details']>;

export function passed(reason: string, details?: GradeDetails, score = 1): Grade {
  return { pass: true, score, reason, ...(details ? { details } : {}) };
}

export function failed(reason: string, details?: GradeDetails, score = 0): Grade {
  return { pass: false, score, reason, ...(details ? { details } : {}) };
}

/** `not:` flips pass and score; the reason says it was negated. */
export function negate(grade: Grade): Grade {
  return { ...grade, pass: !grade.pass, score: 1 - grade.score, reason: `not: ${grade.reason}` };
}

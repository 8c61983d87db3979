/**
 * The item grader for user suites: runs each of the item's assertions (negating those marked
 * `not`), passes iff all pass, and scores the weighted mean of their scores.
 */
import type { Grade, Grader, GraderNeeds, GraderServices } from '../types.js';
import type { Assertion } from './assertion.js';
import { failed, negate, passed, type GradeDetails } from './grade-result.js';
import { runAssertion } from './registry.js';
import { responseOutput } from './response-text.js';

export interface AssertionsReference {
  assertions: Assertion[];
  vars: Record<string, unknown>;
}

export function isAssertionsReference(value: unknown): value is AssertionsReference {
  return typeof value === 'object' && value !== null && Array.isArray((value as AssertionsReference).assertions);
}

/** Python assertions run in the sandbox, judges are models, and a regex must compile. */
export function assertionNeeds(reference: unknown): GraderNeeds {
  if (!isAssertionsReference(reference)) return { problems: ['item has no assertions'] };
  const judgeModels: string[] = [];
  const problems: string[] = [];
  let sandbox = false;
  for (const assertion of reference.assertions) {
    if (assertion.type === 'python') sandbox = true;
    else if (assertion.type === 'llm-judge') judgeModels.push(assertion.model);
    else if (assertion.type === 'regex') {
      try {
        new RegExp(assertion.value, assertion.flags);
      } catch (error) {
        problems.push(`regex ${JSON.stringify(assertion.value)}: ${(error as Error).message}`);
      }
    }
  }
  return { sandbox, judgeModels, problems };
}

export function createAssertionsGrader(services: GraderServices = {}): Grader {
  return {
    name: 'assertions',
    needs: (item) => assertionNeeds(item.reference),
    async grade({ item, response, signal, services: override }) {
      if (!isAssertionsReference(item.reference)) return failed('item has no assertions');
      const { assertions, vars } = item.reference;
      if (assertions.length === 0) return passed('no assertions', { assertions: 0 });
      const merged: GraderServices = { ...services, ...override };
      const output = responseOutput(response);
      const grades: Grade[] = [];
      for (const assertion of assertions) {
        let grade: Grade;
        try {
          grade = await runAssertion(assertion, { output, response, item, vars, services: merged, ...(signal ? { signal } : {}) });
        } catch (error) {
          grade = failed(`${assertion.type} errored: ${(error as Error).message}`);
        }
        grades.push(assertion.not ? negate(grade) : grade);
      }
      const weights = assertions.map((assertion) => assertion.weight ?? 1);
      const total = weights.reduce((sum, weight) => sum + weight, 0);
      const score = grades.reduce((sum, grade, index) => sum + grade.score * (weights[index] as number), 0) / total;
      const details: GradeDetails = { assertions: assertions.length };
      grades.forEach((grade, index) => {
        details[`${index}:${assertions[index]?.type}`] = grade.pass;
      });
      const firstFailure = grades.findIndex((grade) => !grade.pass);
      if (firstFailure < 0) return passed(`all ${assertions.length} assertions passed`, details, score);
      return failed(`assertion ${firstFailure} (${assertions[firstFailure]?.type}) failed: ${grades[firstFailure]?.reason}`, details, score);
    },
  };
}

/**
 * Refuse before paying: everything a run's graders need (the code sandbox, judge models, a
 * sound grading spec) is checked before the first model call. Without this, a machine with
 * no bubblewrap answered every HumanEval item, paid for each, and then recorded each as a
 * grader error.
 */
import type { GraderServices, Suite } from '../types.js';

/** Every reason the run cannot be graded, in one message; the CLI exits 2 with it. */
export class PreflightError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`refusing to start: nothing was called or paid.\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'PreflightError';
  }
}

export interface PreflightInput {
  suites: readonly Suite[];
  services: GraderServices;
}

/** A suite with a bad spec on every item should not print every item. */
const MAX_LISTED = 10;

const PROBE_PROGRAM = 'assert sum([1, 2]) == 3\nprint("arbiter-probe-ok")\n';

interface RunNeeds {
  /** Suites whose items execute code. */
  sandboxFor: Set<string>;
  judgeModels: Set<string>;
  problems: string[];
}

function collectNeeds(suites: readonly Suite[]): RunNeeds {
  const needs: RunNeeds = { sandboxFor: new Set(), judgeModels: new Set(), problems: [] };
  for (const suite of suites) {
    for (const item of suite.items) {
      const itemNeeds = suite.graderFor(item).needs?.(item);
      if (!itemNeeds) continue;
      if (itemNeeds.sandbox) needs.sandboxFor.add(suite.name);
      for (const model of itemNeeds.judgeModels ?? []) needs.judgeModels.add(model);
      // One line per problem kind and suite is enough to act on; the first item names it.
      for (const problem of itemNeeds.problems ?? []) needs.problems.push(`${suite.name} ${item.id}: ${problem}`);
    }
  }
  return needs;
}

/** A real run of a tiny program: a sandbox that starts but cannot run Python fails here. */
async function checkSandbox(services: GraderServices, suites: readonly string[]): Promise<string | undefined> {
  const why = `${suites.join(', ')} run${suites.length === 1 ? 's' : ''} generated code in the sandbox`;
  if (!services.sandbox) return `${why}, and none is configured`;
  try {
    const sandbox = await services.sandbox();
    const result = await sandbox.run(PROBE_PROGRAM, { wallMs: 15_000 });
    if (result.ok && result.completed && result.stdout.includes('arbiter-probe-ok')) return undefined;
    const detail = result.error ?? (result.timedOut ? 'timed out' : `exit ${result.exitCode ?? result.signal}: ${result.stderr.trim().slice(-300)}`);
    return `${why}, but a probe program failed in it (${detail})`;
  } catch (error) {
    return `${why}, but it cannot start: ${(error as Error).message}`;
  }
}

/** One short call per judge model, the way grading will call it. */
async function checkJudge(services: GraderServices, model: string): Promise<string | undefined> {
  if (!services.chat) return `llm-judge assertions ask '${model}', and no chat client is configured to call it`;
  try {
    await services.chat.chat({ model, max_tokens: 8, temperature: 0, messages: [{ role: 'user', content: 'Reply with the single word PASS.' }] });
    return undefined;
  } catch (error) {
    return `llm-judge assertions ask '${model}', which cannot be called: ${(error as Error).message.slice(0, 300)}`;
  }
}

export async function preflightGraders(input: PreflightInput): Promise<void> {
  const needs = collectNeeds(input.suites);
  const problems = [...needs.problems];
  if (needs.sandboxFor.size > 0) {
    const problem = await checkSandbox(input.services, [...needs.sandboxFor]);
    if (problem) problems.push(problem);
  }
  // A judge probe is a (tiny) paid call: none is made for a run that is refused anyway.
  if (problems.length === 0) {
    for (const model of needs.judgeModels) {
      const problem = await checkJudge(input.services, model);
      if (problem) problems.push(problem);
    }
  }
  if (problems.length > MAX_LISTED) problems.splice(MAX_LISTED, problems.length - MAX_LISTED, `... and ${problems.length - MAX_LISTED} more`);
  if (problems.length > 0) throw new PreflightError(problems);
}

/**
 * Eval harness benchmarks (nothing here asserts timing):
 * 1. Runner overhead: tasks/s and CPU ms per task with an instant fake ChatClient and a
 *    trivial grader, results and cache written to an in-memory SQLite store, as in a real run.
 * 2. The same with HumanEval graded in the sandbox (the canonical solutions as answers), when
 *    bubblewrap and Python are available.
 * 3. `--fail-fast` against a full run of the same slate on a deterministic fake built from the
 *    simulated slate's code skills and prices: spend and calls saved, and whether the
 *    survivors' ranking matches the full run's.
 * Run standalone: node --import tsx bench/evals.ts
 */
import { pathToFileURL } from 'node:url';
import { openStore } from '../src/store/database.js';
import { makeUsage, type ChatResponse } from '../src/core/chat-response.js';
import type { ChatClient } from '../src/core/chat-client.js';
import { formatUsd, tokenCostNano } from '../src/core/money.js';
import { SIM_SLATE } from '../src/sim/slate.js';
import { runEval } from '../src/evals/runner/run-eval.js';
import { fakeChatClient, fakeSuite } from '../src/evals/runner/test-support.js';
import type { RunSummary } from '../src/evals/runner/types.js';
import type { Suite } from '../src/evals/types.js';

export interface ThroughputFigures {
  tasks: number;
  passes: number;
  wallMs: number;
  tasksPerSecond: number;
  cpuMsPerTask: number;
}

export interface FailFastFigures {
  models: string[];
  items: number;
  full: { calls: number; spentNano: number };
  failFast: { calls: number; spentNano: number; skipped: Array<{ model: string; itemsSkipped: number; gradedBeforeStop: number }> };
  callsSavedPct: number;
  spendSavedPct: number;
  estimatedSavedNano: number;
  survivorsRankingMatches: boolean;
}

export interface EvalsBench {
  runner: ThroughputFigures;
  /** The same calls and grades in a plain loop: no store, no scheduling; the runner's ceiling. */
  bareLoop: ThroughputFigures;
  humaneval: ThroughputFigures | { skipped: string };
  failFast: FailFastFigures;
}

async function measure(run: () => Promise<RunSummary>): Promise<ThroughputFigures> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const summary = await run();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return {
    tasks: summary.graded,
    passes: summary.metrics.reduce((sum, m) => sum + m.passes, 0),
    wallMs,
    tasksPerSecond: summary.graded / (wallMs / 1000),
    cpuMsPerTask: (used.user + used.system) / 1000 / Math.max(1, summary.graded),
  };
}

async function benchRunner(items: number): Promise<ThroughputFigures> {
  const store = await openStore('sqlite::memory:');
  try {
    const models = { a: { skill: 0.9, costNano: 1000 }, b: { skill: 0.7, costNano: 100 }, c: { skill: 0.5, costNano: 10 }, d: { skill: 0.3, costNano: 0 } };
    return await measure(() => runEval({ store, chatClient: fakeChatClient({ models }), suites: [fakeSuite({ name: 'bench', items })], models: Object.keys(models), concurrency: 8 }));
  } finally {
    await store.close();
  }
}

/**
 * The ceiling: the same fake model and grader called in a bare Node loop with the same
 * concurrency, nothing stored. (The goal itself is stated against promptfoo, which
 * bench/promptfoo.ts runs beside the runner.)
 */
async function benchBareLoop(items: number): Promise<ThroughputFigures> {
  const models = { a: { skill: 0.9, costNano: 1000 }, b: { skill: 0.7, costNano: 100 }, c: { skill: 0.5, costNano: 10 }, d: { skill: 0.3, costNano: 0 } };
  const client = fakeChatClient({ models });
  const suite = fakeSuite({ name: 'bench', items });
  const jobs = Object.keys(models).flatMap((model) => suite.items.map((item) => ({ model, item })));
  const cpu = process.cpuUsage();
  const started = performance.now();
  let next = 0;
  let passes = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < jobs.length) {
      const { model, item } = jobs[next++]!;
      const request = { ...item.request, model } as Parameters<ChatClient['chat']>[0];
      const result = await client.chat(request);
      const grade = await suite.graderFor(item).grade({ item, response: result.response });
      if (grade.pass) passes++;
    }
  }));
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { tasks: jobs.length, passes, wallMs, tasksPerSecond: jobs.length / (wallMs / 1000), cpuMsPerTask: (used.user + used.system) / 1000 / jobs.length };
}

/** Answers each HumanEval prompt with its canonical solution, so grading exercises the sandbox. */
function canonicalClient(suite: Suite): ChatClient {
  const byPrompt = new Map<string, string>();
  for (const item of suite.items) {
    const reference = item.reference as { prompt?: string; canonicalSolution?: string };
    const message = item.request.messages as Array<{ content: string }>;
    byPrompt.set(message[0]?.content ?? '', `\`\`\`python\n${reference.prompt ?? ''}${reference.canonicalSolution ?? ''}\n\`\`\``);
  }
  return {
    async chat(request) {
      const content = byPrompt.get(String(request.messages[0]?.content ?? '')) ?? '';
      const response: ChatResponse = {
        id: 'canonical', object: 'chat.completion', created: 0, model: request.model,
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop', logprobs: null }], usage: makeUsage(100, 80),
      };
      return { response, deployment: 'canonical@bench', costNano: 0, latencyMs: 0 };
    },
  };
}

async function benchHumanEval(items: number): Promise<ThroughputFigures | { skipped: string }> {
  let sandboxModule: typeof import('../src/evals/sandbox/index.js');
  let suitesModule: typeof import('../src/evals/suites/humaneval.js');
  try {
    sandboxModule = await import('../src/evals/sandbox/index.js');
    suitesModule = await import('../src/evals/suites/humaneval.js');
  } catch (error) {
    return { skipped: `sandbox or HumanEval loader unavailable: ${(error as Error).message}` };
  }
  const sandbox = sandboxModule.lazySandbox({});
  const store = await openStore('sqlite::memory:');
  try {
    await sandbox.get();
    const suite = suitesModule.loadHumanEval(undefined, { limit: items, services: { sandbox: () => sandbox.get() } });
    return await measure(() => runEval({ store, chatClient: canonicalClient(suite), suites: [suite], models: ['canonical'], concurrency: 16 }));
  } catch (error) {
    return { skipped: `sandbox could not run: ${(error as Error).message}` };
  } finally {
    await sandbox.close();
    await store.close();
  }
}

async function benchFailFast(items: number): Promise<FailFastFigures> {
  // 600 prompt + 300 completion tokens per call at each simulated model's list price.
  const models = Object.fromEntries(SIM_SLATE.map((profile) => [profile.id, {
    skill: profile.skill.code,
    costNano: tokenCostNano(600, profile.price.input) + tokenCostNano(300, profile.price.output),
  }]));
  const names = Object.keys(models);
  const suites = [fakeSuite({ name: 'code-bench', items, kind: 'code' })];
  const store = await openStore('sqlite::memory:');
  try {
    const fullClient = fakeChatClient({ models });
    const full = await runEval({ store, chatClient: fullClient, suites, models: names, useCache: false });
    const fastClient = fakeChatClient({ models });
    const fast = await runEval({ store, chatClient: fastClient, suites, models: names, useCache: false, failFast: true });
    const skipped = fast.failFast?.skipped ?? [];
    const survivors = names.filter((name) => !skipped.some((skip) => skip.model === name));
    const rank = (summary: RunSummary) => summary.metrics.filter((m) => survivors.includes(m.model)).sort((a, b) => b.passRate - a.passRate).map((m) => m.model).join(',');
    return {
      models: names,
      items,
      full: { calls: fullClient.calls.length, spentNano: full.spentNano },
      failFast: { calls: fastClient.calls.length, spentNano: fast.spentNano, skipped: skipped.map((skip) => ({ model: skip.model, itemsSkipped: skip.itemsSkipped, gradedBeforeStop: skip.gradedBeforeStop })) },
      callsSavedPct: 100 * (1 - fastClient.calls.length / fullClient.calls.length),
      spendSavedPct: full.spentNano === 0 ? 0 : 100 * (1 - fast.spentNano / full.spentNano),
      estimatedSavedNano: fast.failFast?.estimatedSavedNano ?? 0,
      survivorsRankingMatches: rank(fast) === rank(full),
    };
  } finally {
    await store.close();
  }
}

export async function benchEvals(options: { runnerItems?: number; humanevalItems?: number; failFastItems?: number } = {}): Promise<EvalsBench> {
  return {
    runner: await benchRunner(options.runnerItems ?? 1000),
    bareLoop: await benchBareLoop(options.runnerItems ?? 1000),
    humaneval: await benchHumanEval(options.humanevalItems ?? 164),
    failFast: await benchFailFast(options.failFastItems ?? 164),
  };
}

const throughputLine = (label: string, figures: ThroughputFigures | { skipped: string }) => ('skipped' in figures
  ? `  ${label}: skipped (${figures.skipped})`
  : `  ${label}: ${figures.tasks} tasks in ${figures.wallMs.toFixed(0)} ms = ${figures.tasksPerSecond.toFixed(0)} tasks/s, ${figures.cpuMsPerTask.toFixed(3)} CPU ms/task in this process; ${figures.passes} passed`);

export function formatEvalsBench(bench: EvalsBench): string {
  const ff = bench.failFast;
  return [
    throughputLine('runner (instant fake model, trivial grader, SQLite writes)', bench.runner),
    throughputLine('bare Node loop (same model and grader, nothing stored)', bench.bareLoop),
    `  runner / bare loop: ${(100 * bench.runner.tasksPerSecond / bench.bareLoop.tasksPerSecond).toFixed(0)}% (the loop stores nothing; the goal, >= 10x promptfoo, is measured in the next section)`,
    throughputLine('HumanEval graded in the sandbox (canonical answers)', bench.humaneval),
    `  fail-fast on ${ff.items} items × ${ff.models.length} models (simulated slate skills and prices, deterministic fake):`,
    `    full run: ${ff.full.calls} calls, ${formatUsd(ff.full.spentNano)}; fail-fast: ${ff.failFast.calls} calls, ${formatUsd(ff.failFast.spentNano)}`,
    `    saved ${ff.callsSavedPct.toFixed(1)}% of calls and ${ff.spendSavedPct.toFixed(1)}% of spend (runner's own estimate ${formatUsd(ff.estimatedSavedNano)})`,
    `    stopped: ${ff.failFast.skipped.map((skip) => `${skip.model} after ${skip.gradedBeforeStop} (skipped ${skip.itemsSkipped})`).join('; ') || 'none'}`,
    `    survivors rank as in the full run: ${ff.survivorsRankingMatches ? 'yes' : 'NO'}`,
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const bench = await benchEvals();
  console.log(formatEvalsBench(bench));
}

/**
 * Sandboxed execution: the warm pool (one bwrap per worker, a Python fork server inside,
 * a fork per task) against a fresh bwrap + interpreter per task, on the same programs.
 */
import { createSandbox, findBwrap, type SandboxMode } from '../src/evals/sandbox/index.js';

export interface SandboxBench { warmTasksPerSec: number; perTaskTasksPerSec: number; speedup: number; tasks: number }

// A HumanEval-sized program: define, test, exit 0.
const program = 'def add(a, b):\n    return a + b\n\nassert add(2, 3) == 5\nassert sum(add(i, i) for i in range(100)) == 9900\n';

async function throughput(mode: SandboxMode, tasks: number): Promise<number> {
  const sandbox = await createSandbox({ mode });
  try {
    await sandbox.run(program); // warm-up: interpreter resolved, pool started
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: tasks }, () => sandbox.run(program)));
    const seconds = (performance.now() - started) / 1000;
    if (results.some((result) => !result.ok)) throw new Error(`${mode}: a task failed: ${results.find((result) => !result.ok)?.stderr}`);
    return tasks / seconds;
  } finally {
    await sandbox.close();
  }
}

export async function benchSandbox(tasks = 100): Promise<SandboxBench | { skipped: string }> {
  if (!findBwrap()) return { skipped: 'bubblewrap is not installed (npm run setup)' };
  const warm = await throughput('warm', tasks);
  const perTask = await throughput('per-task', Math.max(20, Math.round(tasks / 4)));
  return { warmTasksPerSec: warm, perTaskTasksPerSec: perTask, speedup: warm / perTask, tasks };
}

export function formatSandboxBench(bench: SandboxBench | { skipped: string }): string {
  if ('skipped' in bench) return `  skipped: ${bench.skipped}`;
  return [
    `  warm pool (bwrap once, fork per task): ${bench.warmTasksPerSec.toFixed(0)} tasks/s`,
    `  bwrap + python per task:               ${bench.perTaskTasksPerSec.toFixed(1)} tasks/s`,
    `  warm / per-task: ${bench.speedup.toFixed(1)}x (goal: >= 50% of the 5-10x floor, i.e. >= 2.5x)`,
  ].join('\n');
}

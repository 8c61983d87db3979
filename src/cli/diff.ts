/** `arbiter diff RUN_A RUN_B`: per-model pass-rate changes with paired McNemar significance. */
import type { Command } from 'commander';
import { getEvalRun } from '../store/eval-runs.js';
import { loadEvalResults } from '../store/eval-results.js';
import { compareRuns, formatDiff, type ComparisonFormat } from '../evals/report/index.js';
import { openCliStore, parseFormat, writeOutput, type StoreFlags } from './report.js';

const formats: readonly ComparisonFormat[] = ['table', 'md', 'json'];

export function registerDiffCommand(program: Command): void {
  program
    .command('diff')
    .description('Compare two eval runs: pass-rate deltas per model and suite, McNemar on shared items, regressions flagged')
    .argument('<runA>', 'baseline run id')
    .argument('<runB>', 'candidate run id')
    .option('-f, --format <format>', `output format: ${formats.join(', ')}`, 'table')
    .option('--alpha <p>', 'significance level', (value) => Number(value), 0.05)
    .option('--fail-on-regression', 'exit with status 1 when any significant regression is found (for CI)')
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .option('--db <url>', 'database URL; default: the config storage URL')
    .option('-c, --config <file>', 'config file (YAML)')
    .action(async (runA: string, runB: string, flags: StoreFlags & { format: string; alpha: number; failOnRegression?: boolean; out?: string }) => {
      const format = parseFormat(flags.format, formats);
      if (!(flags.alpha > 0 && flags.alpha < 1)) throw new Error(`--alpha must be between 0 and 1, got ${flags.alpha}`);
      const store = await openCliStore(flags);
      try {
        const [a, b] = await Promise.all([getEvalRun(store, runA), getEvalRun(store, runB)]);
        if (!a) throw new Error(`no eval run '${runA}'`);
        if (!b) throw new Error(`no eval run '${runB}'`);
        const comparisons = compareRuns(await loadEvalResults(store, runA), await loadEvalResults(store, runB), { alpha: flags.alpha });
        writeOutput(formatDiff({ runA, runB, simulated: a.simulated || b.simulated, comparisons }, format), flags.out);
        if (flags.failOnRegression && comparisons.some((comparison) => comparison.regression)) process.exitCode = 1;
      } finally {
        await store.close();
      }
    });
}

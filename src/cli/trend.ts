/** `arbiter trend --suite S --since 7d`: a suite's pass rates run by run, the latest step tested for regressions. */
import type { Command } from 'commander';
import { listEvalRuns } from '../store/eval-runs.js';
import { loadEvalResults } from '../store/eval-results.js';
import { formatTrend, suiteTrend, type ComparisonFormat } from '../evals/report/index.js';
import { parseSince } from '../evals/report/parse-since.js';
import { openCliStore, parseFormat, writeOutput, type StoreFlags } from './report.js';

const formats: readonly ComparisonFormat[] = ['table', 'md', 'json'];

export function registerTrendCommand(program: Command): void {
  program
    .command('trend')
    .description('Pass rate per model across runs of one suite, with McNemar on the latest step')
    .requiredOption('-s, --suite <name>', 'suite name as stored in runs (e.g. humaneval)')
    .option('--since <when>', 'runs started since: 7d, 12h, 2w or a date', '30d')
    .option('--max-runs <n>', 'newest runs to show', (value) => Number.parseInt(value, 10), 10)
    .option('-f, --format <format>', `output format: ${formats.join(', ')}`, 'table')
    .option('--fail-on-regression', 'exit with status 1 when the latest step regressed significantly')
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .option('--db <url>', 'database URL; default: the config storage URL')
    .option('-c, --config <file>', 'config file (YAML)')
    .action(async (flags: StoreFlags & { suite: string; since: string; maxRuns: number; format: string; failOnRegression?: boolean; out?: string }) => {
      const format = parseFormat(flags.format, formats);
      const store = await openCliStore(flags);
      try {
        const runs = await listEvalRuns(store, { suite: flags.suite, since: parseSince(flags.since), limit: flags.maxRuns });
        if (runs.length === 0) throw new Error(`no runs of suite '${flags.suite}' since ${flags.since}`);
        const withRows = await Promise.all(runs.map(async (run) => ({
          id: run.id, startedAt: run.startedAt, simulated: run.simulated,
          rows: await loadEvalResults(store, run.id, { suite: flags.suite }),
        })));
        const trend = suiteTrend(flags.suite, withRows);
        writeOutput(formatTrend(trend, format), flags.out);
        if (flags.failOnRegression && trend.models.some((model) => model.lastStep?.regression)) process.exitCode = 1;
      } finally {
        await store.close();
      }
    });
}

/** `arbiter report [RUN]`: one stored eval run as a table, JSON, Markdown or a self-contained HTML page. */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { openStore, type Store } from '../store/database.js';
import { listEvalRuns } from '../store/eval-runs.js';
import { formatReport, loadRunReport, reportFormats, type ReportFormat } from '../evals/report/index.js';
import { loadCliConfig } from './load-cli-config.js';

export interface StoreFlags {
  db?: string;
  config?: string;
}

/** The database named by `--db`, else the config's storage URL. Shared by eval, report, diff, trend. */
export async function openCliStore(flags: StoreFlags): Promise<Store> {
  return openStore(flags.db ?? loadCliConfig(flags.config).storage.url);
}

export function parseFormat<T extends string>(value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new Error(`--format takes ${allowed.join(', ')}, got '${value}'`);
  return value as T;
}

export function writeOutput(text: string, out: string | undefined): void {
  if (out) {
    writeFileSync(out, text);
    process.stderr.write(`wrote ${out}\n`);
  } else {
    process.stdout.write(text);
  }
}

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('Show an eval run: leaderboard with Wilson intervals, cost per success, latency; HTML adds the cost/quality Pareto chart')
    .argument('[run]', 'run id (default: the latest run)')
    .option('-f, --format <format>', `output format: ${reportFormats.join(', ')}`, 'table')
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .option('--db <url>', 'database URL (sqlite:PATH or postgres://...); default: the config storage URL')
    .option('-c, --config <file>', 'config file (YAML); default: ./arbiter.yaml if present')
    .action(async (run: string | undefined, flags: StoreFlags & { format: string; out?: string }) => {
      const format = parseFormat<ReportFormat>(flags.format, reportFormats);
      const store = await openCliStore(flags);
      try {
        const runId = run ?? (await listEvalRuns(store, { limit: 1 }))[0]?.id;
        if (!runId) throw new Error('no eval runs in this database yet: run `arbiter eval` first');
        writeOutput(formatReport(await loadRunReport(store, runId), format), flags.out);
      } finally {
        await store.close();
      }
    });
}

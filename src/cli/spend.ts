/** `arbiter spend --by key|route|model|vendor --since 7d`: where the money went. */
import type { Command } from 'commander';
import { querySpend, type SpendGroup } from '../controls/audit.js';
import { findModel } from '../catalog/index.js';
import { formatUsd } from '../core/money.js';
import { parseSince } from '../evals/report/parse-since.js';
import { openCliStore, parseFormat, type StoreFlags } from './report.js';

const groups: readonly SpendGroup[] = ['key', 'route', 'model', 'vendor'];

export function registerSpendCommand(program: Command): void {
  program
    .command('spend')
    .description('Spend from the audit trail grouped by key, route, model or vendor')
    .option('--by <group>', `group by: ${groups.join(', ')}`, 'key')
    .option('--since <when>', 'since: 7d, 12h or a date', '7d')
    .option('--json', 'JSON output')
    .option('--db <url>', 'database URL; default: the config storage URL')
    .option('-c, --config <file>', 'config file (YAML)')
    .action(async (flags: StoreFlags & { by: string; since: string; json?: boolean }) => {
      const by = parseFormat(flags.by, groups);
      const store = await openCliStore(flags);
      try {
        const rows = await querySpend(store, by, parseSince(flags.since), (model) => findModel(model)?.vendor ?? 'unknown');
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(rows.map((row) => ({ ...row, costUsd: row.costNano / 1e9 })), null, 2)}\n`);
          return;
        }
        if (rows.length === 0) {
          process.stdout.write(`no requests since ${flags.since}\n`);
          return;
        }
        const width = Math.max(by.length, ...rows.map((row) => row.group.length));
        process.stdout.write(`${by.padEnd(width)}  ${'requests'.padStart(8)}  ${'tokens in'.padStart(10)}  ${'tokens out'.padStart(10)}  ${'cost'.padStart(10)}\n`);
        let total = 0;
        for (const row of rows) {
          total += row.costNano;
          const unpriced = row.unpriced > 0 ? `  (${row.unpriced} unpriced)` : '';
          process.stdout.write(`${row.group.padEnd(width)}  ${String(row.requests).padStart(8)}  ${String(row.promptTokens).padStart(10)}  ${String(row.completionTokens).padStart(10)}  ${formatUsd(row.costNano).padStart(10)}${unpriced}\n`);
        }
        process.stdout.write(`${'total'.padEnd(width)}  ${''.padStart(8)}  ${''.padStart(10)}  ${''.padStart(10)}  ${formatUsd(total).padStart(10)}\n`);
      } finally {
        await store.close();
      }
    });
}

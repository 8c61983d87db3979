/** `arbiter logs`: the audit trail, newest first. */
import type { Command } from 'commander';
import { queryAudit } from '../controls/audit.js';
import { formatUsd } from '../core/money.js';
import { parseSince } from '../evals/report/parse-since.js';
import { openCliStore, type StoreFlags } from './report.js';

export function registerLogsCommand(program: Command): void {
  program
    .command('logs')
    .description('Show audited requests: key, route, deployment, status, tokens, cost, latency')
    .option('--key <key>', 'key id or name')
    .option('--route <route>', 'route name')
    .option('--since <when>', 'since: 1h, 7d or a date', '1h')
    .option('--limit <n>', 'rows', (value) => Number.parseInt(value, 10), 50)
    .option('--json', 'JSON lines output')
    .option('--db <url>', 'database URL; default: the config storage URL')
    .option('-c, --config <file>', 'config file (YAML)')
    .action(async (flags: StoreFlags & { key?: string; route?: string; since: string; limit: number; json?: boolean }) => {
      const store = await openCliStore(flags);
      try {
        const rows = await queryAudit(store, { key: flags.key, route: flags.route, since: parseSince(flags.since), limit: flags.limit });
        if (flags.json) {
          for (const row of rows) process.stdout.write(`${JSON.stringify(row)}\n`);
          return;
        }
        if (rows.length === 0) {
          process.stdout.write(`no requests since ${flags.since}\n`);
          return;
        }
        for (const row of rows) {
          // A refusal never reached a deployment: it cost nothing rather than an unknown amount.
          const cost = row.cost_nano !== null ? formatUsd(Number(row.cost_nano)) : row.deployment === null ? '-' : 'unpriced';
          const blocked = row.blocked_tools_json ? ` blocked=${(JSON.parse(row.blocked_tools_json) as string[]).join(',')}` : '';
          process.stdout.write([
            new Date(Number(row.created_at)).toISOString(), row.request_id, row.key_name ?? '-', row.route ?? '-', row.deployment ?? '-',
            String(row.status) + (row.error_code ? ` ${row.error_code}` : ''), `${row.prompt_tokens}/${row.completion_tokens} tok`, cost,
            `${Math.round(row.latency_ms)}ms`, row.cache_hit ? 'cache-hit' : '',
          ].join('  ') + blocked + '\n');
        }
      } finally {
        await store.close();
      }
    });
}

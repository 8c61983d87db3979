/** `arbiter spend --by key|route|model|vendor --since 7d`: where the money went. */
import type { Command } from 'commander';
import { querySpend, type SpendGroup } from '../controls/audit.js';
import { MemoryBudgetLedger, type BudgetLedger } from '../controls/budget.js';
import { describeUsage, routeBudgetUsage, type BudgetUsage } from '../controls/budget-plan.js';
import { createRedis } from '../controls/redis.js';
import { RedisAdmission } from '../controls/redis-admission.js';
import type { Store } from '../store/database.js';
import { findModel } from '../catalog/index.js';
import { formatUsd } from '../core/money.js';
import { parseSince } from '../evals/report/parse-since.js';
import { loadCliConfig } from './load-cli-config.js';
import { openCliStore, parseFormat, type StoreFlags } from './report.js';

const groups: readonly SpendGroup[] = ['key', 'route', 'model', 'vendor'];

/**
 * Route budgets' use this period, from the ledger the gateway keeps: Redis when configured,
 * else the SQL table the in-process ledger persists to (every few seconds and on shutdown).
 */
async function readRouteBudgets(flags: StoreFlags, store: Store): Promise<Map<string, BudgetUsage[]>> {
  const config = loadCliConfig(flags.config);
  if (!Object.values(config.routes).some((route) => route.budgets.length > 0)) return new Map();
  const redis = config.storage.redisUrl ? createRedis(config.storage.redisUrl) : undefined;
  let ledger: BudgetLedger;
  if (redis) {
    ledger = new RedisAdmission({ redis, store, prefix: config.storage.redisPrefix, leaseMs: 0 });
  } else {
    const memory = new MemoryBudgetLedger({ store, persistMs: 0 });
    await memory.load();
    ledger = memory;
  }
  try {
    return await routeBudgetUsage(ledger, config.routes, Date.now());
  } finally {
    await redis?.quit().catch(() => undefined);
  }
}

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
        const budgets = by === 'route' ? await readRouteBudgets(flags, store) : new Map<string, BudgetUsage[]>();
        if (flags.json) {
          const out = rows.map((row) => ({ ...row, costUsd: row.costNano / 1e9, ...(budgets.has(row.group) ? { budgets: budgets.get(row.group) } : {}) }));
          process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
          return;
        }
        if (rows.length === 0) {
          process.stdout.write(`no requests since ${flags.since}\n`);
          return;
        }
        const width = Math.max(by.length, ...rows.map((row) => row.group.length));
        const budgetHeader = budgets.size > 0 ? '  budget used (this period)' : '';
        process.stdout.write(`${by.padEnd(width)}  ${'requests'.padStart(8)}  ${'tokens in'.padStart(10)}  ${'tokens out'.padStart(10)}  ${'cost'.padStart(10)}${budgetHeader}\n`);
        let total = 0;
        for (const row of rows) {
          total += row.costNano;
          const unpriced = row.unpriced > 0 ? `  (${row.unpriced} unpriced)` : '';
          const usage = budgets.get(row.group);
          const budget = usage ? `  ${usage.map(describeUsage).join(', ')}` : '';
          process.stdout.write(`${row.group.padEnd(width)}  ${String(row.requests).padStart(8)}  ${String(row.promptTokens).padStart(10)}  ${String(row.completionTokens).padStart(10)}  ${formatUsd(row.costNano).padStart(10)}${budget}${unpriced}\n`);
        }
        process.stdout.write(`${'total'.padEnd(width)}  ${''.padStart(8)}  ${''.padStart(10)}  ${''.padStart(10)}  ${formatUsd(total).padStart(10)}\n`);
      } finally {
        await store.close();
      }
    });
}

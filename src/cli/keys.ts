/** `arbiter keys create|list|revoke|rotate`: virtual keys with budgets, limits and tool permissions. */
import type { Command } from 'commander';
import { KeyService, type VirtualKey } from '../controls/keys.js';
import { describeBudget, parseDuration, parseTokenBudget, parseUsdBudget, type BudgetSpec } from '../controls/specs.js';
import { openCliStore, type StoreFlags } from './report.js';

interface CreateFlags extends StoreFlags {
  name: string;
  route?: string;
  budget?: string;
  tokens?: string;
  rpm?: string;
  tpm?: string;
  tools?: string;
  toolCallsPerMinute?: string;
  expires?: string;
}

function positiveInt(value: string | undefined, flag: string): number | null {
  if (value === undefined) return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} takes a positive integer, got '${value}'`);
  return n;
}

function describeKey(key: VirtualKey): string {
  const status = key.revokedAt !== null ? 'revoked' : key.expiresAt !== null && key.expiresAt <= Date.now() ? 'expired' : 'active';
  const parts = [
    key.id.padEnd(22), `${key.prefix}…`.padEnd(11), key.name.padEnd(18), (key.route ?? '-').padEnd(14), status.padEnd(8),
    key.budgets.map(describeBudget).join(', ') || '-',
  ];
  const limits = [
    key.rpm !== null ? `rpm ${key.rpm}` : '', key.tpm !== null ? `tpm ${key.tpm}` : '',
    key.allowedTools !== null ? `tools ${key.allowedTools.join(',') || '(none)'}` : '',
    key.toolCallsPerMinute !== null ? `tool calls/min ${key.toolCallsPerMinute}` : '',
    key.expiresAt !== null ? `expires ${new Date(key.expiresAt).toISOString()}` : '',
  ].filter(Boolean);
  return `${parts.join('  ')}${limits.length > 0 ? `  ${limits.join(', ')}` : ''}\n`;
}

function printNewKey(key: string, record: VirtualKey): void {
  process.stdout.write(`${key}\n`);
  process.stderr.write(`created ${record.id} '${record.name}'${record.route ? ` for route '${record.route}'` : ''}. This key is shown once: store it now.\n`);
}

export function registerKeysCommand(program: Command): void {
  const keys = program.command('keys').description('Manage virtual API keys (budgets, rate limits, tool permissions)');
  const dbOptions = (command: Command) => command
    .option('--db <url>', 'database URL; default: the config storage URL (sqlite:.arbiter/arbiter.db)')
    .option('-c, --config <file>', 'config file (YAML)');

  dbOptions(keys.command('create')
    .description('Create a key and print it once')
    .requiredOption('--name <name>', 'who or what uses the key')
    .option('--route <route>', 'route the key is bound to')
    .option('--budget <budget>', 'dollar budget, e.g. 50usd/month')
    .option('--tokens <budget>', 'token budget, e.g. 2M/day')
    .option('--rpm <n>', 'requests per minute')
    .option('--tpm <n>', 'tokens per minute')
    .option('--tools <names>', 'comma-separated tools the key may use (default: all)')
    .option('--tool-calls-per-minute <n>', 'tool calls per minute')
    .option('--expires <duration>', 'lifetime, e.g. 30d'))
    .action(async (flags: CreateFlags) => {
      const budgets: BudgetSpec[] = [];
      if (flags.budget) budgets.push(parseUsdBudget(flags.budget));
      if (flags.tokens) budgets.push(parseTokenBudget(flags.tokens));
      const input = {
        name: flags.name,
        route: flags.route ?? null,
        budgets,
        rpm: positiveInt(flags.rpm, '--rpm'),
        tpm: positiveInt(flags.tpm, '--tpm'),
        allowedTools: flags.tools === undefined ? null : flags.tools.split(',').map((tool) => tool.trim()).filter(Boolean),
        toolCallsPerMinute: positiveInt(flags.toolCallsPerMinute, '--tool-calls-per-minute'),
        expiresAt: flags.expires ? Date.now() + parseDuration(flags.expires) : null,
      };
      const store = await openCliStore(flags);
      try {
        const { key, record } = await new KeyService(store).create(input);
        printNewKey(key, record);
      } finally {
        await store.close();
      }
    });

  dbOptions(keys.command('list').description('List keys (never the secrets)').option('--json', 'JSON output'))
    .action(async (flags: StoreFlags & { json?: boolean }) => {
      const store = await openCliStore(flags);
      try {
        const list = await new KeyService(store).list();
        if (flags.json) process.stdout.write(`${JSON.stringify(list.map(({ hash: _hash, ...rest }) => rest), null, 2)}\n`);
        else if (list.length === 0) process.stdout.write('no keys yet: arbiter keys create --name NAME --route ROUTE\n');
        else for (const key of list) process.stdout.write(describeKey(key));
      } finally {
        await store.close();
      }
    });

  dbOptions(keys.command('revoke').description('Revoke a key').argument('<id>', 'key id'))
    .action(async (id: string, flags: StoreFlags) => {
      const store = await openCliStore(flags);
      try {
        if (!await new KeyService(store).revoke(id)) throw new Error(`no active key with id '${id}'`);
        process.stderr.write(`revoked ${id}\n`);
      } finally {
        await store.close();
      }
    });

  dbOptions(keys.command('rotate').description('Issue a new secret with the same settings and revoke the old one').argument('<id>', 'key id'))
    .action(async (id: string, flags: StoreFlags) => {
      const store = await openCliStore(flags);
      try {
        const { key, record } = await new KeyService(store).rotate(id);
        printNewKey(key, record);
      } finally {
        await store.close();
      }
    });
}

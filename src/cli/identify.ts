/** `arbiter identify`: which model family is really behind an endpoint or a configured deployment. */
import type { Command } from 'commander';
import { loadCliConfig } from './load-cli-config.js';
import { openStore } from '../store/database.js';
import { isTokenizerId, type TokenizerId } from '../core/family-tokenizers.js';
import { presets } from '../providers/openai-compatible/presets.js';
import type { DeploymentConfig } from '../config/deployments.js';
import type { EndpointFormat, EndpointTarget } from '../identify/index.js';

interface IdentifyFlags {
  model?: string;
  apiKeyEnv?: string;
  reference?: string;
  referenceModel?: string;
  budgetRequests: string;
  json?: boolean;
  format: string;
  deployment?: string;
  config?: string;
  db?: string;
  candidates?: string;
  store?: boolean;
  every?: string;
}

const FORMATS: readonly EndpointFormat[] = ['openai', 'anthropic', 'gemini'];
const DEFAULT_URLS: Record<DeploymentConfig['provider'], string | undefined> = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com',
  gemini: 'https://generativelanguage.googleapis.com',
  'openai-compatible': undefined,
};

function parseFormat(value: string): EndpointFormat {
  const format = FORMATS.find((f) => f === value);
  if (!format) throw new Error(`--format must be one of ${FORMATS.join(', ')}, got '${value}'`);
  return format;
}

function parseCandidates(value: string | undefined): TokenizerId[] | undefined {
  if (!value) return undefined;
  return value.split(',').map((item) => item.trim()).filter(Boolean).map((item) => {
    if (!isTokenizerId(item)) throw new Error(`unknown tokenizer family '${item}'`);
    return item;
  });
}

/** "6h", "30m", "45s" in milliseconds. */
export function parseInterval(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)$/.exec(value.trim());
  if (!match) throw new Error(`--every takes a duration like 30m, 6h or 1d, got '${value}'`);
  const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}

function targetFromDeployment(deployment: DeploymentConfig, env: NodeJS.ProcessEnv): EndpointTarget {
  const format: EndpointFormat = deployment.provider === 'anthropic' ? 'anthropic' : deployment.provider === 'gemini' ? 'gemini' : 'openai';
  const url = deployment.baseUrl ?? (deployment.preset ? presets[deployment.preset]?.baseUrl : undefined) ?? DEFAULT_URLS[deployment.provider];
  if (!url) throw new Error(`deployment '${deployment.name}' has no baseUrl`);
  const keyEnv = deployment.apiKeyEnv ?? (deployment.preset ? presets[deployment.preset]?.apiKeyEnv : undefined);
  return { url, model: deployment.upstreamModel, format, apiKey: deployment.apiKey ?? (keyEnv ? env[keyEnv] : undefined) };
}

export function registerIdentifyCommand(program: Command): void {
  program
    .command('identify [url]')
    .description('Identify the model family really behind an endpoint (tokenizer fingerprint, passive and behavioural probes); stored per deployment, swaps flagged')
    .option('-m, --model <model>', 'model name to request (required with a URL)')
    .option('--api-key-env <var>', 'environment variable holding the endpoint key')
    .option('--format <format>', 'wire format: openai, anthropic or gemini', 'openai')
    .option('--reference <url>', 'a known endpoint to compare output distributions with (two-sample test)')
    .option('--reference-model <model>', 'model name at the reference (default: --model)')
    .option('--budget-requests <n>', 'requests the endpoint may receive in all', '16')
    .option('--deployment <name>', 'identify a deployment from the config (its URL, model and key)')
    .option('--candidates <list>', 'tokenizer families to compare with (default: all shipped)')
    .option('--every <duration>', 're-identify on this interval (e.g. 6h) and flag a changed fingerprint; runs until stopped')
    .option('-c, --config <file>', 'config file (YAML); default: ./arbiter.yaml')
    .option('--db <url>', 'store URL (default: the config storage.url)')
    .option('--no-store', 'do not store the result')
    .option('--json', 'print the full report as JSON')
    .action(async (url: string | undefined, flags: IdentifyFlags) => {
      const config = loadCliConfig(flags.config);
      let target: EndpointTarget;
      let name: string;
      if (flags.deployment) {
        const deployment = config.deployments.find((d) => d.name === flags.deployment);
        if (!deployment) throw new Error(`no deployment named '${flags.deployment}' in the config (known: ${config.deployments.map((d) => d.name).join(', ') || 'none'})`);
        target = targetFromDeployment(deployment, process.env);
        name = deployment.name;
      } else {
        if (!url) throw new Error('give an endpoint URL or --deployment NAME');
        if (!flags.model) throw new Error('--model is required with a URL');
        if (flags.apiKeyEnv && process.env[flags.apiKeyEnv] === undefined) throw new Error(`--api-key-env ${flags.apiKeyEnv}: that variable is not set`);
        target = { url, model: flags.model, format: parseFormat(flags.format), apiKey: flags.apiKeyEnv ? process.env[flags.apiKeyEnv] : undefined };
        name = `${url}#${flags.model}`;
      }
      const budget = Number(flags.budgetRequests);
      const candidates = parseCandidates(flags.candidates);
      const reference = flags.reference ? { ...target, url: flags.reference, model: flags.referenceModel ?? target.model } : undefined;
      const interval = flags.every ? parseInterval(flags.every) : undefined;
      const { identifyEndpoint, planRequests, recordIdentification, renderReport } = await import('../identify/index.js');
      planRequests(budget, { reference: reference !== undefined, format: target.format });
      const store = flags.store === false ? undefined : await openStore(flags.db ?? config.storage.url);
      try {
        for (;;) {
          const report = await identifyEndpoint({ target, reference, budgetRequests: budget, candidates });
          const record = store ? await recordIdentification(store, name, report) : undefined;
          const swap = record?.changed ? record.changeReason ?? 'fingerprint changed' : undefined;
          if (flags.json) console.log(JSON.stringify({ deployment: name, swapDetected: swap !== undefined, swap: swap ?? null, ...report }, null, 2));
          else console.log(renderReport(report, { swap }));
          if (interval === undefined) break;
          await new Promise((resolve) => setTimeout(resolve, interval));
        }
      } finally {
        await store?.close();
      }
    });
}

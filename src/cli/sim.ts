/** `arbiter sim`: the simulator on its own (OpenAI, Anthropic and Gemini wire formats). */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { SIM_SLATE } from '../sim/slate.js';
import { TOKENIZER_IDS } from '../core/family-tokenizers.js';
import { CHAT_TEMPLATES } from '../sim/impersonation.js';
import type { ImpersonatedEndpoint } from '../sim/impersonate-endpoint.js';

function number(value: string): number {
  const parsed = Number.parseFloat(value);
  if (!Number.isFinite(parsed)) throw new Error(`'${value}' is not a number`);
  return parsed;
}

async function loadImpersonations(file: string | undefined, zoo: boolean): Promise<Record<string, ImpersonatedEndpoint> | undefined> {
  if (!file && !zoo) return undefined;
  const out: Record<string, ImpersonatedEndpoint> = {};
  if (zoo) {
    const { buildZoo } = await import('../sim/zoo.js');
    for (const entry of buildZoo({ families: TOKENIZER_IDS, seeds: [1, 2, 3] })) out[entry.id] = entry.endpoint;
  }
  if (file) {
    const parsed = impersonationFileSchema.safeParse(parseYaml(readFileSync(file, 'utf8')));
    if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
    Object.assign(out, parsed.data);
  }
  return out;
}

const impersonationFileSchema = z.record(z.string(), z.strictObject({
  tokenizer: z.enum(TOKENIZER_IDS),
  template: z.enum(CHAT_TEMPLATES),
  hiddenSystemPrompt: z.string().optional(),
  jitter: z.number().int().min(0).max(10).optional(),
  recount: z.literal('cl100k').optional(),
  style: z.enum(['openai', 'deepseek', 'vllm-style', 'generic']),
  persona: z.enum(TOKENIZER_IDS).optional(),
  echoModel: z.string().optional(),
}));

export function registerSimCommand(program: Command): void {
  program
    .command('sim')
    .description('Run the upstream simulator (SIMULATED models) in the OpenAI, Anthropic and Gemini wire formats')
    .option('-p, --port <port>', 'port to listen on (0 = any free port)', (value) => Number.parseInt(value, 10), 8787)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--seed <seed>', 'seed for answers, latency and faults', (value) => Number.parseInt(value, 10), 1)
    .option('--latency-scale <scale>', 'multiply modelled latency (0 = none)', number, 1)
    .option('--error-rate <rate>', 'fraction of calls that fail with a 500', number, 0)
    .option('--rate-limit-rate <rate>', 'fraction of calls that get a 429', number, 0)
    .option('--impersonate <file>', 'YAML/JSON map of model id -> impersonation (tokenizer, template, hiddenSystemPrompt, jitter, recount, style, persona)')
    .option('--zoo', 'also serve the identify zoo: zoo-<family>-<perturbation>-<seed> for every family, perturbation and seeds 1-3')
    .action(async (options: { port: number; host: string; seed: number; latencyScale: number; errorRate: number; rateLimitRate: number; impersonate?: string; zoo?: boolean }) => {
      // Imported here so other commands (serve) do not load the simulator and its tokenizer.
      const { startSimulator } = await import('../sim/server.js');
      const impersonations = await loadImpersonations(options.impersonate, options.zoo === true);
      const sim = await startSimulator({
        impersonations,
        port: options.port,
        host: options.host,
        seed: options.seed,
        latencyScale: options.latencyScale,
        faults: { errorRate: options.errorRate, rateLimitRate: options.rateLimitRate },
      });
      console.log('SIMULATED models — results say nothing about real models.');
      console.log(`Models: ${SIM_SLATE.map((model) => model.id).join(', ')}`);
      if (impersonations) console.log(`Impersonated (SIMULATED) endpoints: ${Object.keys(impersonations).length}, e.g. ${Object.keys(impersonations).slice(0, 3).join(', ')}`);
      console.log(`OpenAI format: ${sim.url}/v1   Anthropic format: ${sim.url}   Gemini format: ${sim.url}`);
      console.log(`Simulator listening on ${sim.url}`);
      const stop = (): void => {
        sim.close().then(() => process.exit(0), () => process.exit(1));
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
}

/**
 * `arbiter start` (what `npm start` runs): the whole loop on a fresh machine. With no
 * provider keys it starts the simulator, runs a short bake-off of the slate on the shipped
 * suites, prints the leaderboard with cost per success, then serves the gateway with routes
 * that decide on those results. Everything simulated is labelled so.
 */
import type { Command } from 'commander';
import { openStore } from '../store/database.js';
import { createRuntime } from '../runtime/create-runtime.js';
import { startArbiter } from '../gateway/start.js';
import { runEval } from '../evals/runner/run-eval.js';
import { loadRunReport, formatReport } from '../evals/report/index.js';
import { loadQualitySource } from '../evals/quality.js';
import { findBwrap, lazySandbox, missingBwrapMessage } from '../evals/sandbox/index.js';
import type { ArbiterConfig } from '../config/schema.js';
import { routeConfigSchema } from '../config/routes.js';
import { loadCliConfig } from './load-cli-config.js';
import { costEstimator, progressBar, resolveSuites } from './eval.js';
import { demoDefaultRoute, demoRoutes } from './demo-routes.js';

interface StartFlags {
  config?: string;
  port?: number;
  host?: string;
  limit: number;
  suites: string;
  bakeoff: boolean;
  serve: boolean;
  unsafeNoSandbox?: boolean;
}

function withDemoRoutes(config: ArbiterConfig): void {
  if (Object.keys(config.routes).length > 0) return;
  for (const [name, route] of Object.entries(demoRoutes)) config.routes[name] = routeConfigSchema.parse(route);
  config.defaultRoute ??= demoDefaultRoute;
}

function examples(url: string, simulated: boolean): string[] {
  return [
    '',
    'Try it (any OpenAI client works; no key needed on localhost):',
    `  curl -s ${url}/v1/chat/completions -H 'content-type: application/json' \\`,
    `    -d '{"model":"arbiter/auto","messages":[{"role":"user","content":"Hello!"}]}' -D - | grep -i -e x-arbiter -e content`,
    `  curl -s ${url}/v1/chat/completions -H 'content-type: application/json' -H 'x-arbiter-route: code-assistant' \\`,
    `    -d '{"model":"arbiter/auto","messages":[{"role":"user","content":"Write fizzbuzz in Python"}]}'`,
    '',
    '  // node: npm i openai',
    "  import OpenAI from 'openai';",
    `  const client = new OpenAI({ baseURL: '${url}/v1', apiKey: 'local' });`,
    "  const answer = await client.chat.completions.create({ model: 'support-bot', messages: [{ role: 'user', content: 'Hi' }] });",
    '',
    'Routes: general (= arbiter/auto), code-assistant, support-bot, agent-tools, extractor, no-cn, private-data',
    `Explain a decision: npx arbiter route --explain --route code-assistant --prompt-file prompt.txt`,
    ...(simulated ? ['', 'SIMULATED: all models above are simulated profiles; set provider API keys to use real models.'] : []),
  ];
}

export async function runStart(flags: StartFlags): Promise<void> {
  const config = loadCliConfig(flags.config);
  if (flags.port !== undefined) config.server.port = flags.port;
  if (flags.host !== undefined) config.server.host = flags.host;
  withDemoRoutes(config);
  const runtime = await createRuntime({ config, env: process.env, simulator: { latencyScale: 0.02, seed: 1 } });
  if (runtime.simulated) {
    console.log('SIMULATED MODE: no provider API keys found (OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY, DEEPSEEK_API_KEY, ...).');
    console.log('Every model below is a simulated profile served by the built-in simulator; its numbers say nothing about real models.\n');
  }
  const store = await openStore(config.storage.url);
  const sandbox = lazySandbox({ unsafeNoSandbox: flags.unsafeNoSandbox === true });
  try {
    if (flags.bakeoff) {
      let suiteNames = flags.suites.split(',').map((name) => name.trim()).filter(Boolean);
      if (!flags.unsafeNoSandbox && suiteNames.includes('humaneval') && !findBwrap()) {
        console.log(`Skipping humaneval: ${missingBwrapMessage}`);
        suiteNames = suiteNames.filter((name) => name !== 'humaneval');
      }
      const services = { sandbox: () => sandbox.get() };
      const suites = resolveSuites(suiteNames, { limit: flags.limit, seed: 1, services });
      const models = runtime.listModels().filter((model) => model.kind === 'model').map((model) => model.id);
      console.log(`Bake-off: ${models.length} models x ${suites.map((suite) => `${suite.name} (${suite.items.length})`).join(', ')}`);
      const bar = progressBar(process.stderr.isTTY === true, runtime.simulated);
      const summary = await runEval({
        store, chatClient: runtime.chatClient, suites, models, seed: 1, concurrency: 8,
        providerOf: runtime.providerOf.bind(runtime), estimateCostNano: costEstimator(runtime),
        isSimulated: runtime.isSimulated.bind(runtime), services, onProgress: bar.update,
        recordedOptions: { suite: flags.suites, models: models.join(','), limit: flags.limit, seed: 1, source: 'arbiter start' },
      });
      bar.stop();
      console.log(formatReport(await loadRunReport(store, summary.runId), 'table'));
      console.log(`Full report: npx arbiter report ${summary.runId} --format html --out report.html`);
    }
    runtime.setQuality(await loadQualitySource(store));
  } finally {
    await sandbox.close();
    await store.close();
  }
  if (!flags.serve) {
    await runtime.close();
    return;
  }
  const running = await startArbiter({ config, env: process.env, runtime });
  console.log(`\nArbiter gateway listening on ${running.url}`);
  for (const line of [...running.banner, ...examples(running.url, runtime.simulated)]) console.log(line);
  running.closeOnSignals();
}

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('The whole loop: bake-off of the available models on the shipped suites, leaderboard, then the gateway with routes that use the results (simulator when no API keys are set)')
    .option('-c, --config <file>', 'config file (YAML); default: ./arbiter.yaml if present')
    .option('-p, --port <port>', 'gateway port', (value) => Number.parseInt(value, 10))
    .option('--host <host>', 'address to bind')
    .option('-n, --limit <n>', 'items per suite in the bake-off', (value) => Number.parseInt(value, 10), 12)
    .option('--suites <names>', 'suites for the bake-off', 'humaneval,bfcl,squad,structured')
    .option('--no-bakeoff', 'skip the bake-off and route on results already in the store')
    .option('--no-serve', 'stop after the bake-off')
    .option('--unsafe-no-sandbox', 'run generated code without bubblewrap (only on a machine you do not care about)')
    .action(async (flags: StartFlags) => runStart(flags));
}

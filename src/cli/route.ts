/** `arbiter route --explain`: every candidate, what excluded it, and the chain the router would use. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { openStore } from '../store/database.js';
import { latestIdentifications } from '../store/identifications.js';
import { renderIdentifications } from './identified-deployments.js';
import { createRuntime } from '../runtime/create-runtime.js';
import { loadQualitySource } from '../evals/quality.js';
import { routeConfigSchema } from '../config/routes.js';
import { parseChatRequest } from '../core/chat-request.js';
import { loadCliConfig } from './load-cli-config.js';
import { demoDefaultRoute, demoRoutes } from './demo-routes.js';

interface RouteFlags { explain?: boolean; route: string; promptFile?: string; prompt?: string; config?: string }

export function registerRouteCommand(program: Command): void {
  program
    .command('route')
    .description('Show how a route decides: candidates, exclusions with reasons, expected cost per success, fallback chain')
    .requiredOption('-r, --route <name>', 'route name')
    .option('--explain', 'print the full explanation (default)')
    .option('-f, --prompt-file <file>', 'file holding the prompt (plain text, or a JSON chat request)')
    .option('--prompt <text>', 'the prompt inline')
    .option('-c, --config <file>', 'config file (YAML); default: ./arbiter.yaml, else the demo routes')
    .action(async (flags: RouteFlags) => {
      const config = loadCliConfig(flags.config);
      if (Object.keys(config.routes).length === 0) {
        for (const [name, route] of Object.entries(demoRoutes)) config.routes[name] = routeConfigSchema.parse(route);
        config.defaultRoute ??= demoDefaultRoute;
      }
      const text = flags.promptFile ? readFileSync(flags.promptFile, 'utf8') : flags.prompt ?? 'Hello';
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = { model: flags.route, messages: [{ role: 'user', content: text }] };
      }
      const request = parseChatRequest({ model: flags.route, ...(body as object) });
      const runtime = await createRuntime({ config, env: process.env, simulator: { latencyScale: 0 } });
      const store = await openStore(config.storage.url);
      try {
        runtime.setQuality(await loadQualitySource(store));
        const explanation = runtime.explainRoute(flags.route, request);
        console.log(explanation);
        // Identifications of the deployments this explanation names (by configured name).
        const named = (await latestIdentifications(store)).filter((record) => explanation.includes(record.deployment));
        if (named.length > 0) console.log(`\n${renderIdentifications(named)}`);
        if (runtime.simulated) console.log('\nSIMULATED: candidates are simulated models (no provider keys set).');
      } finally {
        await store.close();
        await runtime.close();
      }
    });
}

/** `arbiter serve`: the gateway in front of every configured provider. */
import type { Command } from 'commander';
import { loadCliConfig } from './load-cli-config.js';
import { startArbiter } from '../gateway/start.js';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Run the OpenAI-compatible gateway (POST /v1/chat/completions, /v1/embeddings, GET /v1/models, /healthz, /metrics)')
    .option('-c, --config <file>', 'config file (YAML); default: ./arbiter.yaml if present')
    .option('-p, --port <port>', 'port to listen on (overrides config)', (value) => Number.parseInt(value, 10))
    .option('--host <host>', 'address to bind (overrides config)')
    .action(async (options: { config?: string; port?: number; host?: string }) => {
      const config = loadCliConfig(options.config);
      if (options.port !== undefined) config.server.port = options.port;
      if (options.host !== undefined) config.server.host = options.host;
      const running = await startArbiter({ config, env: process.env });
      for (const line of running.banner) console.log(line);
      console.log(`Arbiter gateway listening on ${running.url}`);
      running.closeOnSignals();
    });
}

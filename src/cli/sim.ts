/** `arbiter sim`: the simulator on its own (OpenAI, Anthropic and Gemini wire formats). */
import type { Command } from 'commander';
import { SIM_SLATE } from '../sim/slate.js';

function number(value: string): number {
  const parsed = Number.parseFloat(value);
  if (!Number.isFinite(parsed)) throw new Error(`'${value}' is not a number`);
  return parsed;
}

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
    .option('--call-log <file>', 'append one JSON line per answer served (tokens, true cost, x-sim-tag)')
    .action(async (options: { port: number; host: string; seed: number; latencyScale: number; errorRate: number; rateLimitRate: number; callLog?: string }) => {
      // Imported here so other commands (serve) do not load the simulator and its tokenizer.
      const { startSimulator } = await import('../sim/server.js');
      const sim = await startSimulator({
        port: options.port,
        host: options.host,
        seed: options.seed,
        latencyScale: options.latencyScale,
        faults: { errorRate: options.errorRate, rateLimitRate: options.rateLimitRate },
        callLog: options.callLog,
      });
      console.log('SIMULATED models — results say nothing about real models.');
      console.log(`Models: ${SIM_SLATE.map((model) => model.id).join(', ')}`);
      console.log(`OpenAI format: ${sim.url}/v1   Anthropic format: ${sim.url}   Gemini format: ${sim.url}`);
      console.log(`Simulator listening on ${sim.url}`);
      const stop = (): void => {
        sim.close().then(() => process.exit(0), () => process.exit(1));
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
}

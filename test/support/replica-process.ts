/**
 * One gateway replica in its own process, for scale-out tests that SIGKILL it: Postgres,
 * Redis and the simulator are the caller's (argv[2] is JSON `{ postgresUrl, redisUrl,
 * redisPrefix, simUrl, totalMs }`). Prints `{"url": ...}` on one line once listening.
 */
import { parseConfig } from '../../src/config/load.js';
import { startArbiter } from '../../src/gateway/start.js';

interface ReplicaArgs {
  postgresUrl: string;
  redisUrl: string;
  redisPrefix: string;
  simUrl: string;
  totalMs: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as ReplicaArgs;
const config = parseConfig({
  server: { port: 0, logLevel: 'silent', upstream: { timeouts: { connectMs: 1_000, firstByteMs: args.totalMs, totalMs: args.totalMs } } },
  storage: { url: args.postgresUrl, redisUrl: args.redisUrl, redisPrefix: args.redisPrefix },
  deployments: [{ name: 'sim-frontier', provider: 'openai', upstreamModel: 'sim-frontier', baseUrl: `${args.simUrl}/v1`, apiKey: 'sk-test', catalogModel: 'sim-frontier', simulated: true }],
}, {});
const arbiter = await startArbiter({ config, env: {}, quiet: true });
arbiter.closeOnSignals();
process.stdout.write(`${JSON.stringify({ url: arbiter.url })}\n`);

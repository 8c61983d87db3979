/**
 * A whole Arbiter in its own process, for tests that signal it: the simulator upstream, the
 * gateway on port 0 over the SQLite file named by argv[2], SIGTERM handling as `arbiter
 * serve` has it. Prints `{"url": ...}` on one line once listening.
 */
import { parseConfig } from '../../src/config/load.js';
import { startArbiter } from '../../src/gateway/start.js';
import { startSimulator } from '../../src/sim/server.js';

const dbPath = process.argv[2];
if (!dbPath) throw new Error('usage: gateway-process.ts DB_PATH');

const sim = await startSimulator({ port: 0, latencyScale: 0, seed: 3 });
const config = parseConfig({
  server: { port: 0, logLevel: 'silent' },
  storage: { url: `sqlite:${dbPath}` },
  deployments: [{ name: 'sim-swift', provider: 'openai', upstreamModel: 'sim-swift', baseUrl: `${sim.url}/v1`, apiKey: 'sk-test', catalogModel: 'sim-swift', simulated: true }],
}, {});
const arbiter = await startArbiter({ config, env: {}, quiet: true });
arbiter.closeOnSignals();
process.stdout.write(`${JSON.stringify({ url: arbiter.url })}\n`);

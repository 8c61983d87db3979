/**
 * Starts a whole Arbiter: runtime (deployments, adapters, router), controls, and the HTTP
 * gateway, and stops them in the right order so nothing acknowledged is lost.
 */
import type { ArbiterConfig } from '../config/schema.js';
import type { Env } from '../config/interpolate.js';
import { createLogger } from '../telemetry/logger.js';
import { createRuntime, type RuntimeOptions } from '../runtime/create-runtime.js';
import type { Runtime } from '../runtime/types.js';
import { createGatewayApp } from './app.js';
import { createControls } from './controls-adapter.js';
import { openStore } from '../store/database.js';
import { listen } from './server.js';

export interface StartArbiterOptions {
  config: ArbiterConfig;
  env: Env;
  quiet?: boolean;
  simulator?: RuntimeOptions['simulator'];
  quality?: RuntimeOptions['quality'];
  /** Reuse an existing runtime (the demo builds one for its bake-off first). */
  runtime?: Runtime;
}

export interface RunningArbiter {
  url: string;
  port: number;
  runtime: Runtime;
  /** Lines worth telling the operator at start (simulated mode, localhost-only...). */
  banner: string[];
  close(): Promise<void>;
  closeOnSignals(): void;
}

export async function startArbiter(options: StartArbiterOptions): Promise<RunningArbiter> {
  const { config } = options;
  const logger = createLogger(options.quiet ? 'silent' : config.server.logLevel);
  const runtime = options.runtime ?? await createRuntime({ config, env: options.env, simulator: options.simulator, quality: options.quality });
  const store = await openStore(config.storage.url, { backgroundCheckpoints: true });
  const controls = await createControls({ store, runtime, config, env: options.env, redisUrl: config.storage.redisUrl, logger });
  const listener = createGatewayApp({
    config, runtime, logger,
    controls: controls.chatControls,
    middleware: [controls.authMiddleware],
    renderMetrics: controls.renderMetrics,
    store,
    admin: {
      store, config, keys: controls.keys, runtime,
      masterKey: options.env[config.server.masterKeyEnv],
      feed: controls.auditFeed,
      budgetUsage: controls.budgetUsage,
    },
  });
  const server = await listen(listener, config.server.host, config.server.port);
  const banner: string[] = [];
  if (!controls.keysConfigured()) banner.push('No API keys yet: only localhost may call this gateway. Create one with `arbiter keys create --name NAME --route ROUTE`.');
  if (runtime.simulated) banner.push('SIMULATED: no provider API keys found; every model is served by the built-in simulator and its results say nothing about real models.');
  banner.push(`Dashboard: ${server.url}/ui (admin API under /admin/api/, ${options.env[config.server.masterKeyEnv] ? 'master key required' : `localhost only until ${config.server.masterKeyEnv} is set`})`);
  if (runtime.deployments.length === 0) banner.push('No deployments: configure some in arbiter.yaml or set a provider API key.');

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      // Live log followers hold their connections open: end them so the server can close.
      controls.auditFeed.close();
      await server.close();
      await controls.close();
      await store.close();
      await runtime.close();
    })();
    return closing;
  };
  return {
    url: server.url,
    port: server.port,
    runtime,
    banner,
    close,
    closeOnSignals() {
      const stop = (signal: string) => {
        logger.info({ signal }, 'draining and shutting down');
        close().then(() => process.exit(0), (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        });
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    },
  };
}

/**
 * A whole gateway for the dashboard tests, on a store of either dialect: the simulator
 * upstream (one always failing, one healthy), a mirror pair so a fallback happens, a route
 * whose policy excludes a candidate and stores bodies, the controls writing the audit trail
 * and rollups, and the admin API with a master key. Everything real; nothing mocked.
 */
import { parseConfig } from '../../src/config/load.js';
import { createControls } from '../../src/gateway/controls-adapter.js';
import { createGatewayApp } from '../../src/gateway/app.js';
import { listen } from '../../src/gateway/server.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { createRuntime } from '../../src/runtime/create-runtime.js';
import { startSimulator } from '../../src/sim/server.js';
import { openTestStore } from '../../src/store/test-support.js';
import { createEvalRun, finishEvalRun } from '../../src/store/eval-runs.js';
import { insertEvalResults, type EvalResultRecord } from '../../src/store/eval-results.js';
import type { Store } from '../../src/store/database.js';
import type { Controls } from '../../src/gateway/controls-adapter.js';

export const MASTER_KEY = 'dashboard-master-key-for-tests';

export interface DashboardGateway {
  url: string;
  store: Store;
  controls: Controls;
  close(): Promise<void>;
}

export async function startDashboardGateway(options: { dialect?: 'sqlite' | 'postgres'; masterKey?: string | null } = {}): Promise<DashboardGateway> {
  const failing = await startSimulator({ port: 0, latencyScale: 0, faults: { errorRate: 1 } });
  const healthy = await startSimulator({ port: 0, latencyScale: 0.02, seed: 5 });
  const { store, cleanup } = await openTestStore(options.dialect ?? 'sqlite');
  const sim = (name: string, model: string, catalogModel: string, upstream = healthy) => ({
    name, model, provider: 'openai' as const, upstreamModel: catalogModel, baseUrl: `${upstream.url}/v1`, apiKey: 'sk-test', catalogModel, simulated: true,
  });
  const config = parseConfig({
    server: { port: 0, logLevel: 'silent' },
    deployments: [
      sim('flaky-swift', 'chat', 'sim-swift', failing),
      sim('steady-swift', 'chat', 'sim-swift'),
      sim('sim-frontier', 'sim-frontier', 'sim-frontier'),
      sim('sim-coder-open', 'sim-coder-open', 'sim-coder-open'),
    ],
    routes: {
      support: {
        candidates: ['sim-frontier', 'sim-coder-open'],
        compliance: { denyJurisdictions: ['CN'] },
        storeBodies: true,
        retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
        budgets: ['5usd/day'],
      },
    },
  }, {});
  const runtime = await createRuntime({ config, env: {} });
  const masterKey = options.masterKey === null ? undefined : options.masterKey ?? MASTER_KEY;
  const env: Record<string, string> = masterKey ? { ARBITER_MASTER_KEY: masterKey } : {};
  const logger = createLogger('silent');
  const controls = await createControls({ store, runtime, config, env, logger });
  const listener = createGatewayApp({
    config, runtime, logger, controls: controls.chatControls, middleware: [controls.authMiddleware],
    admin: { store, config, keys: controls.keys, runtime, masterKey, feed: controls.auditFeed, budgetUsage: controls.budgetUsage },
  });
  const server = await listen(listener, '127.0.0.1', 0);
  return {
    url: server.url,
    store,
    controls,
    async close() {
      controls.auditFeed.close();
      await server.close();
      await controls.close();
      await runtime.close();
      await cleanup();
      await Promise.all([failing.close(), healthy.close()]);
    },
  };
}

/** Two graded eval runs (the same items, one model better in the second) through the store the runner writes. */
export async function seedEvalRuns(store: Store, at = Date.now()): Promise<{ first: string; second: string }> {
  const runs = { first: `run_${at}_a`, second: `run_${at}_b` };
  const models = [{ model: 'sim-frontier', cost: 9000 }, { model: 'sim-swift', cost: 1200 }, { model: 'sim-coder-open', cost: 3000 }];
  let index = 0;
  for (const [runIndex, id] of [runs.first, runs.second].entries()) {
    await createEvalRun(store, { id, startedAt: at - (2 - runIndex) * 60_000, simulated: true, options: { suites: ['humaneval'], simulatedModels: models.map((m) => m.model) } });
    const records: EvalResultRecord[] = [];
    for (const { model, cost } of models) {
      for (let item = 0; item < 20; item++) {
        // sim-swift improves from 8/20 to 16/20 in the second run; the others stay.
        const pass = model === 'sim-frontier' ? item < 18 : model === 'sim-swift' ? item < (runIndex === 0 ? 8 : 16) : item < 11;
        records.push({
          runId: id, suite: 'humaneval', itemId: `HumanEval/${item}`, kind: 'code', category: null, model, repeat: 0, requestHash: `h${index++}`,
          response: null, promptTokens: 100, completionTokens: 50, cachedTokens: 0, reasoningTokens: 0, costNano: cost, latencyMs: 200 + item * 10,
          ttftMs: 50, fromCache: false, pass, score: pass ? 1 : 0, reason: pass ? 'tests passed' : 'assertion failed', details: null, errorCode: null, createdAt: at,
        });
      }
    }
    await insertEvalResults(store, records);
    await finishEvalRun(store, id, { status: 'completed', finishedAt: at - (2 - runIndex) * 60_000 + 30_000, summary: {} });
  }
  return runs;
}

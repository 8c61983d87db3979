/**
 * End to end: a small eval of every simulated model through the real runtime (adapters in
 * three wire formats) and the simulator, graded for real. The simulator answers known eval
 * items correctly with each profile's skill, so rankings, intervals and cost per success must
 * follow the slate. Skipped until the simulator server exists.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SIM_SLATE } from '../../sim/slate.js';
import { openTestStore } from '../../store/test-support.js';
import { runEval } from './run-eval.js';
import { findBwrap, missingBwrapMessage } from '../sandbox/index.js';

const simulatorPresent = existsSync(fileURLToPath(new URL('../../sim/server.ts', import.meta.url)));
// HumanEval is graded by running code: without bubblewrap every answer fails alike.
const skip = !simulatorPresent ? 'src/sim/server.ts is not there yet' : findBwrap() === null ? `skipped: ${missingBwrapMessage}` : false;

test('simulated slate on HumanEval: ranking, intervals and cost per success follow the profiles', { skip }, async () => {
  const { createRuntime } = await import('../../runtime/create-runtime.js');
  const { parseConfig } = await import('../../config/load.js');
  const { loadHumanEval } = await import('../suites/humaneval.js');
  const { lazySandbox } = await import('../sandbox/index.js');
  const runtime = await createRuntime({ config: parseConfig({}, {}), env: {}, simulator: { latencyScale: 0, seed: 7 } });
  const sandbox = lazySandbox({});
  const { store, cleanup } = await openTestStore('sqlite');
  try {
    const models = SIM_SLATE.map((profile) => profile.id);
    assert.ok(models.every((model) => runtime.isSimulated(model)));
    const suite = loadHumanEval(undefined, { limit: 60, services: { sandbox: () => sandbox.get() } });
    const summary = await runEval({
      store, chatClient: runtime.chatClient, suites: [suite], models, concurrency: 8,
      providerOf: (model) => runtime.providerOf(model), isSimulated: (model) => runtime.isSimulated(model),
      retry: { maxRetries: 4, baseDelayMs: 5, maxDelayMs: 20 },
    });
    assert.equal(summary.simulated, true);
    assert.equal(summary.graded, 60 * models.length);
    const byModel = new Map(summary.metrics.map((m) => [m.model, m]));
    const skill = (id: string) => SIM_SLATE.find((profile) => profile.id === id)?.skill.code ?? NaN;
    // The weakest coder is last and the two strong ones beat the mid one.
    const ranked = [...summary.metrics].sort((a, b) => b.passRate - a.passRate).map((m) => m.model);
    assert.equal(ranked.at(-1), 'sim-local-small');
    assert.ok((byModel.get('sim-frontier')?.passRate ?? 0) > (byModel.get('sim-swift')?.passRate ?? 1));
    assert.ok((byModel.get('sim-coder-open')?.passRate ?? 0) > (byModel.get('sim-swift')?.passRate ?? 1));
    // 95% intervals should cover the true skill; allow one miss in four.
    const misses = models.filter((model) => {
      const m = byModel.get(model);
      return !m || skill(model) < m.passRateLower || skill(model) > m.passRateUpper;
    });
    assert.ok(misses.length <= 1, `intervals miss the profile skill for ${misses.join(', ')}`);
    // Free model: zero cost per success; frontier's success costs more than the open coder's.
    assert.equal(byModel.get('sim-local-small')?.costPerSuccess?.valueNano ?? 0, 0);
    assert.ok((byModel.get('sim-frontier')?.costPerSuccess?.valueNano ?? 0) > (byModel.get('sim-coder-open')?.costPerSuccess?.valueNano ?? Infinity));
    assert.ok((byModel.get('sim-frontier')?.ttftP50Ms ?? -1) >= 0);
  } finally {
    await cleanup();
    await sandbox.close();
    await runtime.close();
  }
});

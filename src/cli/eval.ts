/**
 * `arbiter eval`: run suites against models through the same runtime the gateway uses, with
 * a live progress bar (spend so far), then print the leaderboard or, with `--json`, the run
 * summary. Simulated models are labelled SIMULATED everywhere.
 */
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { makeUsage } from '../core/chat-response.js';
import { formatUsd, usdToNano } from '../core/money.js';
import type { ChatRequest } from '../core/chat-request.js';
import { requestedMaxTokens } from '../core/chat-request.js';
import type { DeploymentConfig } from '../config/deployments.js';
import { getEvalRun } from '../store/eval-runs.js';
import { loadEvalResults } from '../store/eval-results.js';
import type { Runtime } from '../runtime/types.js';
import { runEval } from '../evals/runner/run-eval.js';
import { PreflightError, preflightGraders } from '../evals/runner/preflight.js';
import type { ProgressEvent } from '../evals/runner/types.js';
import { loadRunReport, formatReport } from '../evals/report/index.js';
import { runSummaryJson, runSummaryLines } from '../evals/report/format-run-summary.js';
import { resolveSuite } from '../evals/suites/index.js';
import type { SuiteLoadOptions } from '../evals/suites/load-options.js';
import { lazySandbox } from '../evals/sandbox/index.js';
import type { Suite } from '../evals/types.js';
import { loadCliConfig } from './load-cli-config.js';
import { openCliStore } from './report.js';

export interface EvalFlags {
  suite?: string;
  models?: string;
  limit?: number;
  concurrency: number;
  budgetUsd?: number;
  repeat: number;
  failFast?: boolean;
  minPass?: number;
  minSample: number;
  resume?: string;
  json?: boolean;
  seed?: number;
  rpm?: number;
  cache: boolean;
  unsafeNoSandbox?: boolean;
  apiKeyEnv?: string;
  config?: string;
  db?: string;
}

const AD_HOC = /^openai-compatible:([^@]+)@(https?:\/\/.+)$/;

const list = (value: string | undefined) => (value ?? '').split(',').map((entry) => entry.trim()).filter(Boolean);

/** Whole numbers only: `--limit abc` or `--repeat 0` must not quietly plan an empty run. */
export function integerFlag(flag: string, min: number) {
  return (value: string) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min) throw new Error(`${flag} needs a whole number${min > 0 ? ` of at least ${min}` : ' (0 or more)'}, got '${value}'`);
    return parsed;
  };
}

function positiveNumber(flag: string) {
  return (value: string) => {
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`${flag} needs a positive number, got '${value}'`);
    return parsed;
  };
}

/** `--min-pass 0.6` or `--min-pass 60` (percent). */
export function parseMinPass(value: string): number {
  const parsed = Number(value.replace(/%$/, ''));
  const rate = parsed > 1 ? parsed / 100 : parsed;
  if (!Number.isFinite(rate) || rate < 0 || rate > 1) throw new Error(`--min-pass takes a rate (0.6) or percent (60), got '${value}'`);
  return rate;
}

/** `openai-compatible:MODEL@BASE_URL` becomes a deployment named by the whole spec. */
export function adHocDeployment(spec: string, apiKeyEnv: string | undefined): DeploymentConfig | undefined {
  if (!spec.startsWith('openai-compatible:')) return undefined;
  const match = AD_HOC.exec(spec);
  if (!match || !URL.canParse(match[2] as string)) {
    throw new Error(`'${spec}' is not an ad-hoc endpoint: write openai-compatible:MODEL@BASE_URL, e.g. openai-compatible:llama3.1:8b@http://127.0.0.1:11434/v1`);
  }
  return { name: spec, model: spec, provider: 'openai-compatible', upstreamModel: match[1] as string, baseUrl: match[2] as string, ...(apiKeyEnv ? { apiKeyEnv } : {}) };
}

/**
 * Shipped suite names (humaneval, bfcl[:category], squad, structured) or dataset/suite file
 * paths. Every one that does not load is named, before anything is called.
 */
export function resolveSuites(specs: readonly string[], options: SuiteLoadOptions): Suite[] {
  const suites: Suite[] = [];
  const problems: string[] = [];
  for (const spec of specs) {
    try {
      suites.push(resolveSuite(spec, options));
    } catch (error) {
      problems.push(`suite '${spec}' cannot be loaded: ${(error as Error).message}`);
    }
  }
  if (problems.length > 0) throw new PreflightError(problems);
  return suites;
}

/** Reserve per call: prompt estimate at input price + the output cap (or 1024) at output price. */
export function costEstimator(runtime: Runtime) {
  return (model: string, request: ChatRequest) => {
    const deployment = runtime.deployments.find((candidate) => candidate.model === model || candidate.name === model);
    if (!deployment) return undefined;
    const prompt = runtime.estimatePromptTokens(request, deployment);
    return runtime.costOf(deployment, makeUsage(prompt, requestedMaxTokens(request) ?? 1024)) ?? undefined;
  };
}

export function progressBar(enabled: boolean, simulated: boolean) {
  if (!enabled) return { update: (_event: ProgressEvent) => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar({
    format: `{bar} {value}/{total} | pass {passes} | err {errors} | cache {cache} | spent {spent}${simulated ? ' | SIMULATED' : ''}`,
    stream: process.stderr,
    hideCursor: true,
    clearOnComplete: false,
  }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    update(event: ProgressEvent) {
      if (event.type === 'dominated') {
        process.stderr.write(`\r\x1b[Kfail-fast: ${event.model} stopped on ${event.suite} (${event.detail}); ${event.itemsSkipped} skipped\n`);
        return;
      }
      if (event.type === 'budget-exhausted') {
        process.stderr.write(`\r\x1b[Kbudget reached: spent ${formatUsd(event.spentNano)} of ${formatUsd(event.limitNano)}; no new calls\n`);
        return;
      }
      if (event.type !== 'progress') return;
      const payload = { passes: event.passes, errors: event.errors, cache: event.cacheHits, spent: formatUsd(event.spentNano) };
      if (!started) {
        bar.start(event.total, event.done, payload);
        started = true;
      } else {
        bar.setTotal(event.total);
        bar.update(event.done, payload);
      }
    },
    stop: () => { if (started) bar.stop(); },
  };
}

/** A resumed run keeps the plan it was started with (suites, models, limit, repeat, seed, fail-fast). */
async function resumedFlags(flags: EvalFlags, store: Awaited<ReturnType<typeof openCliStore>>): Promise<EvalFlags> {
  if (!flags.resume) return flags;
  const run = await getEvalRun(store, flags.resume);
  if (!run) throw new Error(`no eval run '${flags.resume}' to resume`);
  const stored = (run.options ?? {}) as Partial<EvalFlags>;
  const planKeys = ['suite', 'models', 'limit', 'repeat', 'seed', 'failFast', 'minPass', 'minSample'] as const;
  const plan = Object.fromEntries(planKeys.filter((key) => stored[key] !== undefined).map((key) => [key, stored[key]]));
  return { ...flags, ...plan };
}

/** The most frequent failure reason per model, so "131 errors" comes with its cause. */
async function errorLines(store: Awaited<ReturnType<typeof openCliStore>>, runId: string): Promise<string[]> {
  const counts = new Map<string, Map<string, number>>();
  for (const result of await loadEvalResults(store, runId)) {
    if (result.errorCode === null) continue;
    const reasons = counts.get(result.model) ?? new Map<string, number>();
    reasons.set(result.reason, (reasons.get(result.reason) ?? 0) + 1);
    counts.set(result.model, reasons);
  }
  return [...counts].map(([model, reasons]) => {
    const [reason, count] = [...reasons].sort((a, b) => b[1] - a[1])[0] as [string, number];
    return `Errors for ${model}: ${count} × ${reason.slice(0, 300)}`;
  });
}

/** Every name must resolve the way a call would (model, deployment or route) before anything is paid or planned. */
function assertModelsKnown(runtime: Runtime, models: readonly string[]): void {
  const unknown = models.filter((model) => {
    try {
      runtime.resolve({ model, messages: [{ role: 'user', content: '' }] }, {});
      return false;
    } catch (error) {
      return (error as { code?: unknown }).code === 'model_not_found';
    }
  });
  if (unknown.length === 0) return;
  const known = runtime.listModels().map((entry) => entry.id);
  const shown = known.slice(0, 12).join(', ') + (known.length > 12 ? `, ... (${known.length} in all: arbiter models)` : '');
  throw new Error(`unknown model${unknown.length > 1 ? 's' : ''} ${unknown.map((name) => `'${name}'`).join(', ')}: use a configured or catalog model (${shown}) or openai-compatible:MODEL@BASE_URL`);
}

/** Exit code of a run refused before any call (a grader that cannot run, an invalid suite). */
export const PREFLIGHT_EXIT_CODE = 2;

export async function runEvalCommand(input: EvalFlags): Promise<void> {
  try {
    await evalCommand(input);
  } catch (error) {
    if (!(error instanceof PreflightError)) throw error;
    process.stderr.write(`arbiter eval: ${error.message}\n`);
    process.exitCode = PREFLIGHT_EXIT_CODE;
  }
}

async function evalCommand(input: EvalFlags): Promise<void> {
  const store = await openCliStore(input);
  // ARBITER_BWRAP points the sandbox at another bubblewrap (a test points it at a missing one).
  const sandbox = lazySandbox({ unsafeNoSandbox: input.unsafeNoSandbox === true, ...(process.env.ARBITER_BWRAP ? { bwrapPath: process.env.ARBITER_BWRAP } : {}) });
  let runtime: Runtime | undefined;
  try {
    const flags = await resumedFlags(input, store);
    const models = list(flags.models);
    const suiteSpecs = list(flags.suite);
    if (models.length === 0) throw new Error('--models needs at least one model');
    if (suiteSpecs.length === 0) throw new Error('--suite needs at least one suite');
    const config = loadCliConfig(flags.config);
    if (flags.apiKeyEnv && !process.env[flags.apiKeyEnv]) throw new Error(`--api-key-env ${flags.apiKeyEnv}: that environment variable is not set`);
    for (const model of models) {
      const deployment = adHocDeployment(model, flags.apiKeyEnv);
      if (deployment && !config.deployments.some((existing) => existing.name === deployment.name)) config.deployments.push(deployment);
    }
    // Loaded on demand: report/diff/trend should not pay for (or depend on) the provider stack.
    const { createRuntime } = await import('../runtime/create-runtime.js');
    runtime = await createRuntime({ config, env: process.env });
    assertModelsKnown(runtime, models);
    // llm-judge assertions call their judge through the same runtime as the models under test.
    const services = { sandbox: () => sandbox.get(), chat: runtime.chatClient };
    const suites = resolveSuites(suiteSpecs, { limit: flags.limit, seed: flags.seed, services });
    await preflightGraders({ suites, services });
    const isSimulated = runtime.isSimulated.bind(runtime);
    const simulated = models.some(isSimulated);
    if (simulated) process.stderr.write('SIMULATED: no provider keys are configured for some models; they are answered by the simulator.\n');
    const bar = progressBar(!flags.json && process.stderr.isTTY === true, simulated);
    const summary = await runEval({
      store, chatClient: runtime.chatClient, suites, models, repeat: flags.repeat, seed: flags.seed,
      concurrency: flags.concurrency, providerOf: runtime.providerOf.bind(runtime),
      rateLimitRpm: flags.rpm ? () => flags.rpm : undefined,
      budgetNano: flags.budgetUsd !== undefined ? usdToNano(flags.budgetUsd) : undefined,
      estimateCostNano: costEstimator(runtime),
      failFast: flags.failFast, minPass: flags.minPass, minSample: flags.minSample,
      useCache: flags.cache, resumeRunId: flags.resume, isSimulated, services,
      recordedOptions: { suite: flags.suite, models: flags.models, limit: flags.limit, repeat: flags.repeat, seed: flags.seed, failFast: flags.failFast, minPass: flags.minPass, minSample: flags.minSample, concurrency: flags.concurrency },
      onProgress: bar.update,
    });
    bar.stop();
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(runSummaryJson(summary), null, 2)}\n`);
    } else {
      process.stdout.write(formatReport(await loadRunReport(store, summary.runId), 'table'));
      const errors = summary.errors > 0 ? await errorLines(store, summary.runId) : [];
      process.stdout.write(`\n${[...runSummaryLines(summary), ...errors].join('\n')}\nHTML report: arbiter report ${summary.runId} --format html --out report.html\n`);
    }
    if (summary.status === 'failed') process.exitCode = 1;
  } finally {
    await sandbox.close();
    await runtime?.close();
    await store.close();
  }
}

export function registerEvalCommand(program: Command): void {
  program
    .command('eval')
    .description('Evaluate models on suites: pass rates with Wilson intervals, cost per success, latency; results kept for report/diff/trend')
    .option('-s, --suite <names>', 'comma-separated suite names or dataset paths (e.g. humaneval,bfcl)')
    .option('-m, --models <names>', 'comma-separated catalog/config model names, or openai-compatible:MODEL@BASE_URL')
    .option('-n, --limit <n>', 'items per suite', integerFlag('--limit', 1))
    .option('--concurrency <n>', 'calls in flight per provider', integerFlag('--concurrency', 1), 4)
    .option('--budget-usd <usd>', 'stop starting new calls once this much is spent or reserved', positiveNumber('--budget-usd'))
    .option('--repeat <k>', 'answers per item per model', integerFlag('--repeat', 1), 1)
    .option('--fail-fast', 'stop evaluating a model on a suite once it is statistically dominated')
    .option('--min-pass <rate>', 'with --fail-fast: also stop models whose pass-rate upper bound is below this', parseMinPass)
    .option('--min-sample <n>', 'with --fail-fast: graded items before a model can be stopped', integerFlag('--min-sample', 1), 10)
    .option('--resume <run>', 'continue a crashed or stopped run; graded items are skipped')
    .option('--json', 'print the run summary as JSON on stdout')
    .option('--seed <s>', 'sample items with this seed and send it as the request seed', integerFlag('--seed', 0))
    .option('--rpm <n>', 'requests per minute per model', integerFlag('--rpm', 1))
    .option('--no-cache', 'call models even when an identical request was answered before')
    .option('--unsafe-no-sandbox', 'run generated code without bubblewrap (rlimits only): only on a throwaway machine')
    .option('--api-key-env <var>', 'environment variable holding the key for openai-compatible:MODEL@URL models')
    .option('-c, --config <file>', 'config file (YAML); default: ./arbiter.yaml if present')
    .option('--db <url>', 'database URL (sqlite:PATH or postgres://...); default: the config storage URL')
    .action(async (flags: EvalFlags) => {
      await runEvalCommand(flags);
    });
}

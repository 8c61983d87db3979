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
import type { Runtime } from '../runtime/types.js';
import { runEval } from '../evals/runner/run-eval.js';
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
  const match = AD_HOC.exec(spec);
  if (!match) return undefined;
  return { name: spec, model: spec, provider: 'openai-compatible', upstreamModel: match[1] as string, baseUrl: match[2] as string, ...(apiKeyEnv ? { apiKeyEnv } : {}) };
}

/** Shipped suite names (humaneval, bfcl[:category], squad, structured) or dataset/suite file paths. */
export function resolveSuites(specs: readonly string[], options: SuiteLoadOptions): Suite[] {
  return specs.map((spec) => resolveSuite(spec, options));
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

export async function runEvalCommand(input: EvalFlags): Promise<void> {
  const store = await openCliStore(input);
  const sandbox = lazySandbox({ unsafeNoSandbox: input.unsafeNoSandbox === true });
  let runtime: Runtime | undefined;
  try {
    const flags = await resumedFlags(input, store);
    const models = list(flags.models);
    const suiteSpecs = list(flags.suite);
    if (models.length === 0) throw new Error('--models needs at least one model');
    if (suiteSpecs.length === 0) throw new Error('--suite needs at least one suite');
    const config = loadCliConfig(flags.config);
    for (const model of models) {
      const deployment = adHocDeployment(model, flags.apiKeyEnv);
      if (deployment && !config.deployments.some((existing) => existing.name === deployment.name)) config.deployments.push(deployment);
    }
    // Loaded on demand: report/diff/trend should not pay for (or depend on) the provider stack.
    const { createRuntime } = await import('../runtime/create-runtime.js');
    runtime = await createRuntime({ config, env: process.env });
    const services = { sandbox: () => sandbox.get() };
    const suites = resolveSuites(suiteSpecs, { limit: flags.limit, seed: flags.seed, services });
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
      process.stdout.write(`\n${runSummaryLines(summary).join('\n')}\nHTML report: arbiter report ${summary.runId} --format html --out report.html\n`);
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
    .option('-n, --limit <n>', 'items per suite', (value) => Number.parseInt(value, 10))
    .option('--concurrency <n>', 'calls in flight per provider', (value) => Number.parseInt(value, 10), 4)
    .option('--budget-usd <usd>', 'stop starting new calls once this much is spent or reserved', positiveNumber('--budget-usd'))
    .option('--repeat <k>', 'answers per item per model', (value) => Number.parseInt(value, 10), 1)
    .option('--fail-fast', 'stop evaluating a model on a suite once it is statistically dominated')
    .option('--min-pass <rate>', 'with --fail-fast: also stop models whose pass-rate upper bound is below this', parseMinPass)
    .option('--min-sample <n>', 'with --fail-fast: graded items before a model can be stopped', (value) => Number.parseInt(value, 10), 10)
    .option('--resume <run>', 'continue a crashed or stopped run; graded items are skipped')
    .option('--json', 'print the run summary as JSON on stdout')
    .option('--seed <s>', 'sample items with this seed and send it as the request seed', (value) => Number.parseInt(value, 10))
    .option('--rpm <n>', 'requests per minute per model', (value) => Number.parseInt(value, 10))
    .option('--no-cache', 'call models even when an identical request was answered before')
    .option('--unsafe-no-sandbox', 'run generated code without bubblewrap (rlimits only): only on a throwaway machine')
    .option('--api-key-env <var>', 'environment variable holding the key for openai-compatible:MODEL@URL models')
    .option('-c, --config <file>', 'config file (YAML); default: ./arbiter.yaml if present')
    .option('--db <url>', 'database URL (sqlite:PATH or postgres://...); default: the config storage URL')
    .action(async (flags: EvalFlags) => {
      await runEvalCommand(flags);
    });
}

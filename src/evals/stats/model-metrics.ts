/**
 * The figures reported per (model, suite): quality with its interval, what a success costs,
 * speed, volume and errors, and for tool-calling suites the BFCL-style call diagnostics read
 * from grade details (`valid_call`, `wrong_function`, `hallucinated_call`).
 */
import { costPerSuccess, type CostPerSuccess } from './cost-per-success.js';
import { percentile } from './percentile.js';
import { wilsonInterval } from './wilson.js';

/** The part of a stored result the metrics read. */
export interface ResultForMetrics {
  suite: string;
  model: string;
  kind: string;
  pass: boolean;
  costNano: number | null;
  fromCache: boolean;
  latencyMs: number | null;
  ttftMs: number | null;
  promptTokens: number;
  completionTokens: number;
  details: Record<string, number | boolean | string> | null;
  errorCode: string | null;
}

export interface ToolCallMetrics {
  /** Over items that expect a call: share whose calls decode and pass the AST checker. */
  validCallRate: number | null;
  /** Over items that expect a call: share that called a function the answer does not name. */
  wrongFunctionRate: number | null;
  /** Over irrelevance items only: share where the model called a tool it should not have. */
  hallucinatedCallRate: number | null;
}

export interface ModelSuiteMetrics {
  model: string;
  suite: string;
  kind: string;
  passes: number;
  total: number;
  passRate: number;
  passRateLower: number;
  passRateUpper: number;
  /** Model cost of every answer, cached or not (what the answers cost to produce). */
  totalCostNano: number;
  /** What this run actually paid (cache hits excluded). */
  paidCostNano: number;
  unpricedResults: number;
  costPerSuccess: CostPerSuccess | null;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  ttftP50Ms: number | null;
  promptTokens: number;
  completionTokens: number;
  errors: number;
  errorRate: number;
  tools?: ToolCallMetrics;
}

const flag = (value: number | boolean | string | undefined): boolean | undefined =>
  value === undefined ? undefined : value === true || value === 1 || value === 'true';

/** Share of results whose details carry `key` as true; results without the key do not count. */
function rateOf(results: readonly ResultForMetrics[], key: string): number | null {
  let seen = 0;
  let yes = 0;
  for (const result of results) {
    const value = flag(result.details?.[key]);
    if (value === undefined) continue;
    seen += 1;
    if (value) yes += 1;
  }
  return seen === 0 ? null : yes / seen;
}

function toolMetrics(results: readonly ResultForMetrics[]): ToolCallMetrics | undefined {
  const tools: ToolCallMetrics = {
    validCallRate: rateOf(results, 'valid_call'),
    wrongFunctionRate: rateOf(results, 'wrong_function'),
    hallucinatedCallRate: rateOf(results, 'hallucinated_call'),
  };
  const any = tools.validCallRate !== null || tools.wrongFunctionRate !== null || tools.hallucinatedCallRate !== null;
  return any ? tools : undefined;
}

function metricsFor(results: readonly ResultForMetrics[]): ModelSuiteMetrics {
  const first = results[0] as ResultForMetrics;
  const passes = results.filter((result) => result.pass).length;
  const total = results.length;
  const interval = wilsonInterval(passes, total);
  const priced = results.filter((result) => result.costNano !== null);
  const totalCostNano = priced.reduce((sum, result) => sum + (result.costNano ?? 0), 0);
  const answered = results.filter((result) => result.errorCode === null);
  const latencies = answered.flatMap((result) => (result.latencyMs === null ? [] : [result.latencyMs]));
  const ttfts = answered.flatMap((result) => (result.ttftMs === null ? [] : [result.ttftMs]));
  const errors = results.length - answered.length;
  const metrics: ModelSuiteMetrics = {
    model: first.model,
    suite: first.suite,
    kind: first.kind,
    passes,
    total,
    passRate: total === 0 ? 0 : passes / total,
    passRateLower: interval.lower,
    passRateUpper: interval.upper,
    totalCostNano,
    paidCostNano: priced.filter((result) => !result.fromCache).reduce((sum, result) => sum + (result.costNano ?? 0), 0),
    unpricedResults: answered.filter((result) => result.costNano === null).length,
    // Unpriced models get no cost per success rather than a fake $0.
    costPerSuccess: priced.length === 0 ? null : costPerSuccess({ totalCostNano, passes, total }),
    latencyP50Ms: percentile(latencies, 0.5) ?? null,
    latencyP95Ms: percentile(latencies, 0.95) ?? null,
    ttftP50Ms: percentile(ttfts, 0.5) ?? null,
    promptTokens: results.reduce((sum, result) => sum + result.promptTokens, 0),
    completionTokens: results.reduce((sum, result) => sum + result.completionTokens, 0),
    errors,
    errorRate: total === 0 ? 0 : errors / total,
  };
  const tools = toolMetrics(results);
  if (tools) metrics.tools = tools;
  return metrics;
}

/** One entry per (model, suite) present in `results`, in first-seen order. */
export function computeModelSuiteMetrics(results: readonly ResultForMetrics[]): ModelSuiteMetrics[] {
  const groups = new Map<string, ResultForMetrics[]>();
  for (const result of results) {
    const key = `${result.model}\u0000${result.suite}`;
    const group = groups.get(key);
    if (group) group.push(result);
    else groups.set(key, [result]);
  }
  return [...groups.values()].map(metricsFor);
}

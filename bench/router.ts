/**
 * Router decision time per request over a catalog of 100 deployments: the catalog's own
 * deployments (cycled to reach 100, each a distinct mirror), eval evidence for most models,
 * and a policy that exercises every rule kind (floor, latency, price, capabilities,
 * compliance). Token counting is measured apart: it runs before the decision, once.
 */
import { configSchema } from '../dist/config/schema.js';
import type { Deployment } from '../dist/core/provider.js';
import type { QualityFigures } from '../dist/core/quality.js';
import { loadCatalog, estimatePromptTokens } from '../dist/catalog/index.js';
import { parseChatRequest } from '../dist/core/chat-request.js';
import { createRouting } from '../dist/runtime/routing.js';
import { pricesFor } from '../dist/catalog/index.js';

export interface RouterBenchResult { deployments: number; decisions: number; p50Us: number; p99Us: number; tokenizeP50Us: number }

const DEPLOYMENT_COUNT = 100;

function catalogDeployments(): Deployment[] {
  const catalog = loadCatalog();
  const pairs = catalog.models.flatMap((model) => model.deployments.map((entry) => ({ model, entry })));
  return Array.from({ length: DEPLOYMENT_COUNT }, (_, index) => {
    const { model, entry } = pairs[index % pairs.length]!;
    const copy = Math.floor(index / pairs.length);
    return {
      name: `${model.id}@${entry.provider}${copy > 0 ? `#${copy}` : ''}`,
      model: model.id,
      provider: entry.provider,
      ...(entry.preset ? { preset: entry.preset } : {}),
      upstreamModel: entry.upstreamModel,
      baseUrl: 'http://127.0.0.1:1/v1',
      region: entry.region,
      catalogModel: model.id,
      timeouts: { connectMs: 1_000, firstByteMs: 1_000, totalMs: 1_000 },
    } satisfies Deployment;
  });
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

export function benchRouter(decisions = 50_000): RouterBenchResult {
  const catalog = loadCatalog();
  const deployments = catalogDeployments();
  const config = configSchema.parse({
    routes: {
      bench: {
        task: 'code',
        qualityFloor: 0.5,
        maxLatencyP95Ms: 5_000,
        maxPricePerMTokens: 20,
        require: ['tools'],
        compliance: { denyJurisdictions: ['RU'], excludeVendors: ['nobody'] },
        explore: 0.05,
      },
    },
  });
  // Evidence for four models in five, spread over pass rates so the floor cuts some; looked
  // up from a map, as the runtime's evidence from the store is.
  const evidence = new Map<string, QualityFigures>();
  for (const [index, model] of catalog.models.entries()) {
    if (index % 5 === 4) continue;
    const passes = 40 + ((index * 37) % 55);
    evidence.set(model.id, { passes, total: 100, passRate: passes / 100, passRateLower: passes / 100 - 0.09, passRateUpper: passes / 100 + 0.08, p95LatencyMs: 500 + ((index * 611) % 4000) });
  }
  const quality = (modelId: string): QualityFigures | undefined => evidence.get(modelId);
  const routing = createRouting({ config, deployments, catalog, quality, priceOf: (deployment) => pricesFor(deployment, catalog) });
  const request = parseChatRequest({
    model: 'bench',
    messages: [{ role: 'system', content: 'You write Python.' }, { role: 'user', content: 'Write a function that reverses the words of a sentence.' }],
    tools: [{ type: 'function', function: { name: 'run_tests', parameters: { type: 'object', properties: { code: { type: 'string' } } } } }],
    max_tokens: 512,
  });

  const timings = new Float64Array(decisions);
  let chainLength = 0;
  for (let i = 0; i < 2_000; i++) chainLength += routing.decideRoute('bench', request, `warm-${i}`, 120).chain.length;
  // Request ids are made before timing, and performance.now() allocates nothing (hrtime.bigint
  // made two BigInts a sample, garbage the measurement then paid for in its own tail).
  const ids = Array.from({ length: decisions }, (_, i) => `req-${i}`);
  for (let i = 0; i < decisions; i++) {
    const started = performance.now();
    chainLength += routing.decideRoute('bench', request, ids[i]!, 120).chain.length;
    timings[i] = (performance.now() - started) * 1_000;
  }
  if (chainLength === 0) throw new Error('the bench route chose nothing: the benchmark would measure an empty decision');
  const tokenize = new Float64Array(5_000);
  for (let i = 0; i < tokenize.length; i++) {
    const started = performance.now();
    estimatePromptTokens(request);
    tokenize[i] = (performance.now() - started) * 1_000;
  }
  timings.sort();
  tokenize.sort();
  return { deployments: deployments.length, decisions, p50Us: percentile(timings, 0.5), p99Us: percentile(timings, 0.99), tokenizeP50Us: percentile(tokenize, 0.5) };
}

export function formatRouterBench(result: RouterBenchResult): string {
  return [
    `  decision over ${result.deployments} deployments, ${result.decisions} requests: p50 ${result.p50Us.toFixed(1)} µs, p99 ${result.p99Us.toFixed(1)} µs (goal: p99 < 50 µs)`,
    `  prompt token estimate (real BPE, done once per request before deciding): p50 ${result.tokenizeP50Us.toFixed(1)} µs`,
  ].join('\n');
}

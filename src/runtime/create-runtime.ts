/**
 * Builds the runtime from config: deployments (configured, or keyed catalog deployments, or
 * the simulator's), the adapters with one keep-alive pool per origin, prices from the
 * catalog, and the router's chain execution.
 */
import type { ArbiterConfig } from '../config/schema.js';
import type { Env } from '../config/interpolate.js';
import type { DeploymentConfig } from '../config/deployments.js';
import type { ChatRequest } from '../core/chat-request.js';
import type { Usage } from '../core/chat-response.js';
import { ArbiterError } from '../core/errors.js';
import { ownValue } from '../core/own-property.js';
import type { Deployment } from '../core/provider.js';
import type { NanoUsd } from '../core/money.js';
import { computeCost, estimatePromptTokens, estimateTextTokens, findModel, loadCatalog, pricesFor, usageFromStream } from '../catalog/index.js';
import type { EmbeddingRequest } from '../core/embeddings.js';
import { ensureStreamUsage } from './ensure-stream-usage.js';
import { adapterFor, resolveDeployment } from '../providers/registry.js';
import { createUpstreamDispatcher } from '../providers/http.js';
import { simulatorDeployments } from './sim-deployments.js';
import { keyedCatalogDeployments } from './keyed-deployments.js';
import { ModelIndex } from './model-index.js';
import { attemptChat, attemptStream, type AttemptDeps } from './attempt.js';
import { runChain } from './run-chain.js';
import { resolveTarget } from './resolve-target.js';
import { createRuntimeChatClient } from './runtime-chat-client.js';
import type { Runtime } from './types.js';
import { createRouting, type QualitySource } from './routing.js';
import { explainDecision } from '../router/decide.js';

export interface RuntimeOptions {
  config: ArbiterConfig;
  env: Env;
  /** Start an in-process simulator when nothing else is configured (default: yes). */
  simulator?: false | { latencyScale?: number; seed?: number };
  quality?: QualitySource;
}

interface DeploymentPlan {
  configs: DeploymentConfig[];
  simulatorClose?: () => Promise<void>;
}

async function planDeployments(options: RuntimeOptions): Promise<DeploymentPlan> {
  if (options.config.deployments.length > 0) return { configs: options.config.deployments };
  const keyed = keyedCatalogDeployments(loadCatalog(), options.env);
  if (keyed.length > 0) return { configs: keyed };
  if (options.simulator === false) return { configs: [] };
  // Loaded only when used: a gateway in front of real providers never needs the simulator's modules.
  const { startSimulator } = await import('../sim/server.js');
  const simulator = await startSimulator({ port: 0, latencyScale: options.simulator?.latencyScale ?? 0.05, seed: options.simulator?.seed ?? 1 });
  return { configs: simulatorDeployments(simulator.url), simulatorClose: () => simulator.close() };
}

function embeddingInputTokens(input: EmbeddingRequest['input'], deployment: Deployment): number {
  if (typeof input === 'string') return estimateTextTokens(input, deployment.catalogModel ?? deployment.upstreamModel);
  let tokens = 0;
  for (const item of input) tokens += typeof item === 'string' ? estimateTextTokens(item, deployment.catalogModel ?? deployment.upstreamModel) : Array.isArray(item) ? item.length : 1;
  return tokens;
}

/** Headers for the simulator's fault injection travel only to simulated deployments. */
function simulatorHeaders(headers: Record<string, string> | undefined, deployment: Deployment): Record<string, string> | undefined {
  return deployment.simulated ? headers : undefined;
}

export async function createRuntime(options: RuntimeOptions): Promise<Runtime> {
  const plan = await planDeployments(options);
  const upstream = options.config.server.upstream;
  const deployments = plan.configs.map((config) => resolveDeployment(config, { env: options.env, defaultTimeouts: upstream.timeouts }));
  const index = new ModelIndex(deployments);
  const dispatcher = createUpstreamDispatcher({ connectionsPerOrigin: upstream.connectionsPerOrigin, keepAliveTimeoutMs: upstream.keepAliveTimeoutMs, connectTimeoutMs: upstream.timeouts.connectMs });
  const catalog = loadCatalog();
  const priceCache = new Map<string, ReturnType<typeof pricesFor>>();
  const priceOf = (deployment: Deployment) => {
    if (!priceCache.has(deployment.name)) {
      // A simulated model has one profile price whichever wire format serves it.
      const price = pricesFor(deployment, catalog) ?? (deployment.simulated && deployment.catalogModel ? pricesFor(deployment.catalogModel, catalog) : undefined);
      priceCache.set(deployment.name, price);
    }
    return priceCache.get(deployment.name);
  };
  const costOf = (deployment: Deployment, usage: Usage): NanoUsd | null => computeCost(usage, priceOf(deployment))?.costNano ?? null;
  const estimate = (request: ChatRequest, deployment?: Deployment): number => {
    const model = deployment?.catalogModel ? findModel(deployment.catalogModel, catalog) : findModel(request.model, catalog);
    return estimatePromptTokens(request, model);
  };
  const attemptDeps: AttemptDeps = {
    adapterFor: (deployment) => adapterFor(deployment.provider),
    callOptions: (deployment, signal, headers, requestId) => ({ signal, dispatcher, headers: simulatorHeaders(headers, deployment), requestId }),
  };
  const routing = createRouting({ config: options.config, deployments, catalog, quality: options.quality, priceOf });
  const simulatedAll = deployments.length > 0 && deployments.every((deployment) => deployment.simulated);

  const runtime: Runtime = {
    deployments,
    simulated: simulatedAll,
    listModels() {
      const models = index.models().map((id) => {
        const mirrors = index.lookup(id) ?? [];
        return { id, ownedBy: mirrors[0]?.provider ?? 'arbiter', simulated: mirrors.every((d) => d.simulated), kind: 'model' as const };
      });
      const routes = Object.keys(options.config.routes).map((id) => ({ id, ownedBy: 'arbiter-route', simulated: simulatedAll, kind: 'route' as const }));
      return [...models, ...routes];
    },
    resolve(request, hints) {
      return resolveTarget({ request, hints, index, routing, config: options.config, estimate });
    },
    async executeChat(target, request, callOptions) {
      const started = performance.now();
      const result = await runChain({
        target, routing, signal: callOptions.signal,
        attempt: (deployment, signal) => attemptChat(attemptDeps, deployment, request, signal, callOptions.headers, callOptions.requestId),
      });
      const usage = result.value.usage;
      return {
        deployment: result.deployment, attempts: result.attempts, retries: result.retries, fallbacks: result.fallbacks,
        response: result.value, costNano: usage ? costOf(result.deployment, usage) : null, latencyMs: performance.now() - started,
      };
    },
    async executeStream(target, request, callOptions) {
      const result = await runChain({
        target, routing, signal: callOptions.signal,
        attempt: (deployment, signal) => attemptStream(attemptDeps, deployment, request, signal, callOptions.headers, callOptions.requestId),
      });
      // Counted only when the provider sends no usage of its own.
      const deployment = result.deployment;
      return {
        deployment, attempts: result.attempts, retries: result.retries, fallbacks: result.fallbacks,
        chunks: ensureStreamUsage(result.value, (text) => usageFromStream(text, estimate(request, deployment), deployment.catalogModel)),
      };
    },
    resolveEmbedding(request, keyRoute) {
      const mirrors = index.lookup(request.model);
      if (!mirrors) throw new ArbiterError('model_not_found', `The model '${request.model}' does not exist.`, { param: 'model' });
      const embedding = mirrors.filter((candidate) => adapterFor(candidate.provider).embed);
      if (embedding.length === 0) throw new ArbiterError('invalid_request', `The model '${request.model}' has no deployment that serves embeddings.`, { param: 'model' });
      if (!keyRoute) return embedding[0]!;
      if (!ownValue(options.config.routes, keyRoute)) throw new ArbiterError('not_found', `The route '${keyRoute}' this API key is bound to does not exist.`);
      // The route's compliance (jurisdiction, vendor, open weights, region, locality) says where its data may go, embeddings included.
      const verdicts = embedding.map((deployment) => ({ deployment, reasons: routing.complianceExclusions(keyRoute, deployment) }));
      const admitted = verdicts.find((verdict) => verdict.reasons.length === 0);
      if (admitted) return admitted.deployment;
      const why = verdicts.map((verdict) => `${verdict.deployment.name}: ${verdict.reasons.join(', ')}`).join('; ');
      throw new ArbiterError('permission_denied', `The model '${request.model}' is not allowed by the route '${keyRoute}' this API key is bound to (${why}).`, { param: 'model' });
    },
    estimateEmbeddingTokens: (request, deployment) => embeddingInputTokens(request.input, deployment),
    async embed(request, deployment, callOptions) {
      const adapter = adapterFor(deployment.provider);
      if (!adapter.embed) throw new ArbiterError('invalid_request', `The deployment '${deployment.name}' does not serve embeddings.`, { param: 'model' });
      const response = await adapter.embed(deployment, { ...request, model: deployment.upstreamModel }, attemptDeps.callOptions(deployment, callOptions.signal, callOptions.headers, callOptions.requestId));
      // Gemini reports no usage for embeddings: count the input so cost and budgets see it.
      const promptTokens = response.usage.prompt_tokens > 0 ? response.usage.prompt_tokens : embeddingInputTokens(request.input, deployment);
      const usage: Usage = { prompt_tokens: promptTokens, completion_tokens: 0, total_tokens: promptTokens };
      return { response: { ...response, model: deployment.model, usage: { ...response.usage, prompt_tokens: promptTokens, total_tokens: promptTokens } }, costNano: costOf(deployment, usage) };
    },
    costOf,
    estimatePromptTokens: estimate,
    chatClient: undefined as unknown as Runtime['chatClient'],
    isSimulated: (model) => (index.lookup(model) ?? []).every((deployment) => deployment.simulated) && index.lookup(model) !== undefined,
    setQuality: (quality) => routing.setQuality(quality),
    explainRoute(routeName, request) {
      if (!ownValue(options.config.routes, routeName)) throw new ArbiterError('not_found', `The route '${routeName}' does not exist.`);
      return explainDecision(routing.decision(routeName, request, 'explain', estimate(request)));
    },
    providerOf: (model) => index.lookup(model)?.[0]?.provider ?? model,
    deploymentStatus: () => deployments.map((deployment) => {
      const health = routing.health.snapshot(deployment.name);
      return {
        name: deployment.name, model: deployment.model, provider: deployment.preset ?? deployment.provider, ...routing.placeOf(deployment),
        simulated: deployment.simulated === true, breaker: health?.breaker ?? 'closed', recentErrorRate: health ? health.errorRate : null,
      };
    }),
    async close() {
      await dispatcher.close();
      await plan.simulatorClose?.();
    },
  };
  runtime.chatClient = createRuntimeChatClient(runtime);
  return runtime;
}

/** Prometheus metrics: one registry for the process, rendered by GET /metrics. */
import { Counter, Registry, collectDefaultMetrics } from 'prom-client';
import { BucketHistogram, type Observer } from './bucket-histogram.js';

export interface GatewayMetrics {
  registry: Registry;
  requests: Counter<'route' | 'deployment' | 'status' | 'cache'>;
  fallbacks: Counter<'route'>;
  retries: Counter<'route'>;
  budgetRejections: Counter<'scope'>;
  rateLimitRejections: Counter<'limit'>;
  blockedToolCalls: Counter<'tool'>;
  latency: BucketHistogram<'route' | 'deployment'>;
  ttft: BucketHistogram<'route' | 'deployment'>;
  tokens: Counter<'deployment' | 'kind'>;
  cost: Counter<'deployment'>;
  /** Everything one finished chat request adds, through cached label children. */
  recordRequest(request: RequestMetrics): void;
  render(): Promise<{ contentType: string; body: string }>;
}

export interface RequestMetrics {
  route: string;
  deployment: string;
  status: number;
  cacheHit: boolean;
  fallbacks: number;
  retries: number;
  blockedTools: readonly string[];
  latencySeconds: number;
  ttftSeconds?: number;
  tokens?: { prompt: number; completion: number; cached: number; reasoning: number };
  costUsd?: number;
}

/**
 * prom-client hashes a label object (sorting its keys) and validates it on every inc/observe;
 * a gateway makes eight such calls a request. The child for a label combination is looked up
 * once and kept. Cardinality is the metrics' own: one child per combination prom-client holds anyway.
 */
class Children<Child> {
  protected readonly cache = new Map<string, Child>();
  constructor(private readonly make: (values: string[]) => Child) {}

  get(...values: string[]): Child {
    const key = values.join('\u0000');
    let child = this.cache.get(key);
    if (!child) {
      child = this.make(values);
      this.cache.set(key, child);
    }
    return child;
  }
}

interface PendingCount {
  child: { inc(value: number): void };
  pending: number;
}

/**
 * Counters bumped on every request add to a plain number; the sums reach prom-client when the
 * registry is scraped (its `collect` hook), so a request pays an addition, not a label lookup.
 */
class CountingChildren extends Children<PendingCount> {
  constructor(counter: Counter<string>) {
    super((values) => ({ child: counter.labels(...values), pending: 0 }));
  }

  flush(): void {
    for (const count of this.cache.values()) {
      if (count.pending === 0) continue;
      count.child.inc(count.pending);
      count.pending = 0;
    }
  }
}

/** The label children one route and deployment pair records into. */
class SeriesBundle {
  readonly latency: Observer;
  private ttftChild: Observer | undefined;
  readonly prompt: PendingCount;
  readonly completion: PendingCount;
  readonly cached: PendingCount;
  readonly reasoning: PendingCount;
  readonly cost: PendingCount;
  /** Keyed by status and cache result as one number: no string per request. */
  private readonly outcomes = new Map<number, PendingCount>();

  constructor(
    private readonly route: string,
    private readonly deployment: string,
    private readonly families: { requests: CountingChildren; latency: BucketHistogram<'route' | 'deployment'>; ttft: BucketHistogram<'route' | 'deployment'>; tokens: CountingChildren; cost: CountingChildren },
  ) {
    this.latency = families.latency.labels(route, deployment);
    this.prompt = families.tokens.get(deployment, 'prompt');
    this.completion = families.tokens.get(deployment, 'completion');
    this.cached = families.tokens.get(deployment, 'cached');
    this.reasoning = families.tokens.get(deployment, 'reasoning');
    this.cost = families.cost.get(deployment);
  }

  /** Only streamed requests have a time to first token: the series exists once one was seen. */
  get ttft(): Observer {
    return this.ttftChild ??= this.families.ttft.labels(this.route, this.deployment);
  }

  requests(status: number, cacheHit: boolean): PendingCount {
    const key = status * 2 + (cacheHit ? 1 : 0);
    let count = this.outcomes.get(key);
    if (!count) this.outcomes.set(key, count = this.families.requests.get(this.route, this.deployment, String(status), cacheHit ? 'hit' : 'miss'));
    return count;
  }
}

const latencyBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128];

export function createMetrics(options: { defaultMetrics?: boolean } = {}): GatewayMetrics {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const metrics: GatewayMetrics = {
    registry,
    requests: new Counter({ name: 'arbiter_requests_total', help: 'Requests (chat completions and embeddings) by route, deployment, status and cache result', labelNames: ['route', 'deployment', 'status', 'cache'], registers, collect: () => requests.flush() }),
    fallbacks: new Counter({ name: 'arbiter_fallbacks_total', help: 'Fallbacks to a later deployment in the chain', labelNames: ['route'], registers }),
    retries: new Counter({ name: 'arbiter_retries_total', help: 'Retries of the same deployment', labelNames: ['route'], registers }),
    budgetRejections: new Counter({ name: 'arbiter_budget_rejections_total', help: 'Requests refused because a budget was exhausted', labelNames: ['scope'], registers }),
    rateLimitRejections: new Counter({ name: 'arbiter_rate_limit_rejections_total', help: 'Requests refused by a rate limit', labelNames: ['limit'], registers }),
    blockedToolCalls: new Counter({ name: 'arbiter_blocked_tool_calls_total', help: 'Tool calls blocked by key permissions', labelNames: ['tool'], registers }),
    latency: new BucketHistogram({ name: 'arbiter_request_duration_seconds', help: 'Request latency', labelNames: ['route', 'deployment'], buckets: latencyBuckets, registers }),
    ttft: new BucketHistogram({ name: 'arbiter_time_to_first_token_seconds', help: 'Time to first streamed token', labelNames: ['route', 'deployment'], buckets: latencyBuckets, registers }),
    tokens: new Counter({ name: 'arbiter_tokens_total', help: 'Tokens by deployment and kind (prompt, completion, cached, reasoning)', labelNames: ['deployment', 'kind'], registers, collect: () => tokens.flush() }),
    cost: new Counter({ name: 'arbiter_cost_usd_total', help: 'Spend in USD by deployment', labelNames: ['deployment'], registers, collect: () => cost.flush() }),
    recordRequest(request) {
      const bundle = series(request.route, request.deployment);
      bundle.requests(request.status, request.cacheHit).pending += 1;
      if (request.fallbacks > 0) fallbacks.get(request.route).inc(request.fallbacks);
      if (request.retries > 0) retries.get(request.route).inc(request.retries);
      for (const tool of request.blockedTools) blocked.get(tool).inc();
      bundle.latency.observe(request.latencySeconds);
      if (request.ttftSeconds !== undefined) bundle.ttft.observe(request.ttftSeconds);
      if (request.tokens) {
        bundle.prompt.pending += request.tokens.prompt;
        bundle.completion.pending += request.tokens.completion;
        bundle.cached.pending += request.tokens.cached;
        bundle.reasoning.pending += request.tokens.reasoning;
      }
      if (request.costUsd) bundle.cost.pending += request.costUsd;
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
  const requests = new CountingChildren(metrics.requests);
  const fallbacks = new Children((values) => metrics.fallbacks.labels(...values));
  const retries = new Children((values) => metrics.retries.labels(...values));
  const blocked = new Children((values) => metrics.blockedToolCalls.labels(...values));
  const tokens = new CountingChildren(metrics.tokens);
  const cost = new CountingChildren(metrics.cost);
  // Route and deployment names are the config's own strings: two map lookups find everything
  // a request records, with no label key built per request.
  const byRoute = new Map<string, Map<string, SeriesBundle>>();
  const series = (route: string, deployment: string): SeriesBundle => {
    let byDeployment = byRoute.get(route);
    if (!byDeployment) byRoute.set(route, byDeployment = new Map());
    let bundle = byDeployment.get(deployment);
    if (!bundle) byDeployment.set(deployment, bundle = new SeriesBundle(route, deployment, { requests, latency: metrics.latency, ttft: metrics.ttft, tokens, cost }));
    return bundle;
  };
  return metrics;
}

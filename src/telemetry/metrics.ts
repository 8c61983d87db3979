/** Prometheus metrics: one registry for the process, rendered by GET /metrics. */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface GatewayMetrics {
  registry: Registry;
  requests: Counter<'route' | 'deployment' | 'status' | 'cache'>;
  fallbacks: Counter<'route'>;
  retries: Counter<'route'>;
  budgetRejections: Counter<'scope'>;
  rateLimitRejections: Counter<'limit'>;
  blockedToolCalls: Counter<'tool'>;
  latency: Histogram<'route' | 'deployment'>;
  ttft: Histogram<'route' | 'deployment'>;
  tokens: Counter<'deployment' | 'kind'>;
  cost: Counter<'deployment'>;
  render(): Promise<{ contentType: string; body: string }>;
}

const latencyBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128];

export function createMetrics(options: { defaultMetrics?: boolean } = {}): GatewayMetrics {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const metrics: GatewayMetrics = {
    registry,
    requests: new Counter({ name: 'arbiter_requests_total', help: 'Chat requests by route, deployment, status and cache result', labelNames: ['route', 'deployment', 'status', 'cache'], registers }),
    fallbacks: new Counter({ name: 'arbiter_fallbacks_total', help: 'Fallbacks to a later deployment in the chain', labelNames: ['route'], registers }),
    retries: new Counter({ name: 'arbiter_retries_total', help: 'Retries of the same deployment', labelNames: ['route'], registers }),
    budgetRejections: new Counter({ name: 'arbiter_budget_rejections_total', help: 'Requests refused because a budget was exhausted', labelNames: ['scope'], registers }),
    rateLimitRejections: new Counter({ name: 'arbiter_rate_limit_rejections_total', help: 'Requests refused by a rate limit', labelNames: ['limit'], registers }),
    blockedToolCalls: new Counter({ name: 'arbiter_blocked_tool_calls_total', help: 'Tool calls blocked by key permissions', labelNames: ['tool'], registers }),
    latency: new Histogram({ name: 'arbiter_request_duration_seconds', help: 'Request latency', labelNames: ['route', 'deployment'], buckets: latencyBuckets, registers }),
    ttft: new Histogram({ name: 'arbiter_time_to_first_token_seconds', help: 'Time to first streamed token', labelNames: ['route', 'deployment'], buckets: latencyBuckets, registers }),
    tokens: new Counter({ name: 'arbiter_tokens_total', help: 'Tokens by deployment and kind (prompt, completion, cached, reasoning)', labelNames: ['deployment', 'kind'], registers }),
    cost: new Counter({ name: 'arbiter_cost_usd_total', help: 'Spend in USD by deployment', labelNames: ['deployment'], registers }),
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
  return metrics;
}

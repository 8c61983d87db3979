/**
 * Glue between the gateway and the controls: the request facts are read off the HTTP context
 * and every decision is the controls' (src/controls/request-controls.ts). Also wraps the auth
 * middleware so requests refused at the door are audited too.
 */
import type { Logger } from 'pino';
import { ownValue } from '../core/own-property.js';
import type { ArbiterConfig } from '../config/schema.js';
import type { Env } from '../config/interpolate.js';
import type { Store } from '../store/database.js';
import type { KeyService } from '../controls/keys.js';
import type { RequestFacts } from '../controls/request-facts.js';
import { createRequestControls, type RequestControls, type RequestControlsOptions } from '../controls/request-controls.js';
import type { GatewayMetrics } from '../telemetry/metrics.js';
import type { ChatControls } from './chat-controls.js';
import type { GatewayContext, Middleware } from './context.js';
import { authMiddleware } from './middleware/auth.js';

export interface ControlsOptions {
  store: Store;
  runtime: RequestControlsOptions['runtime'];
  config: ArbiterConfig;
  env: Env;
  redisUrl?: string;
  logger?: Logger;
  now?: () => number;
  /** Default output cap assumed for the worst case when the request sets none. */
  defaultMaxTokens?: number;
  cacheEntries?: number;
}

export interface Controls {
  chatControls: ChatControls;
  authMiddleware: Middleware;
  keysConfigured(): boolean;
  renderMetrics(): Promise<{ contentType: string; body: string }>;
  keys: KeyService;
  metrics: GatewayMetrics;
  /** Committed audit batches (the dashboard's live log). */
  auditFeed: RequestControls['auditFeed'];
  budgetUsage: RequestControls['budgetUsage'];
  close(): Promise<void>;
}

function header(ctx: GatewayContext, name: string): string | undefined {
  const value = ctx.req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** What the controls need of the HTTP request; the decision headers they set go on the context's. */
function factsOf(ctx: GatewayContext): RequestFacts {
  return {
    requestId: ctx.requestId,
    startedAt: ctx.startedAt,
    method: ctx.method,
    path: ctx.path,
    entrance: ctx.vars.entrance,
    keyId: ctx.vars.keyId,
    keyName: ctx.vars.keyName,
    keyRoute: ctx.vars.keyRoute,
    cacheHeader: header(ctx, 'x-arbiter-cache'),
    cacheControl: header(ctx, 'cache-control'),
    responseHeaders: ctx.responseHeaders,
  };
}

export async function createControls(options: ControlsOptions): Promise<Controls> {
  const controls = await createRequestControls(options);
  const chatControls: ChatControls = {
    admit: (ctx, request, target) => controls.admitChat(factsOf(ctx), request, target),
    refuse: (ctx, error, model) => controls.refuse(factsOf(ctx), error, model),
    admitEmbedding: (ctx, request, deployment) => controls.admitEmbedding(factsOf(ctx), request, deployment),
  };

  const auth = authMiddleware({ keys: controls.keys, masterKey: ownValue(options.env, options.config.server.masterKeyEnv) });
  /** Requests refused at the door are in the audit trail too: who tried, when, with what answer. */
  const auditedAuth: Middleware = async function auditedAuth(ctx, next) {
    let admitted = false;
    try {
      await auth(ctx, () => {
        admitted = true;
        return next();
      });
    } catch (error) {
      if (!admitted) controls.refuseAtDoor(factsOf(ctx), error);
      throw error;
    }
  };

  return {
    chatControls,
    authMiddleware: auditedAuth,
    keysConfigured: () => controls.keys.hasKeys(),
    renderMetrics: () => controls.metrics.render(),
    keys: controls.keys,
    metrics: controls.metrics,
    auditFeed: controls.auditFeed,
    budgetUsage: controls.budgetUsage,
    close: () => controls.close(),
  };
}

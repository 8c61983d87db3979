/** Assembles the gateway: routes, middleware and the controls on the chat path. */
import type { Logger } from 'pino';
import type { ArbiterConfig } from '../config/schema.js';
import type { Runtime } from '../runtime/types.js';
import type { Middleware } from './context.js';
import { openChatControls, type ChatControls } from './chat-controls.js';
import { chatCompletionsHandler } from './routes/chat-completions.js';
import { embeddingsHandler } from './routes/embeddings.js';
import { countTokensHandler, messagesHandler } from './routes/messages.js';
import { responsesHandler } from './routes/responses.js';
import type { Store } from '../store/database.js';
import { anthropicErrorBody } from './entrances/anthropic-messages/errors.js';
import { healthHandler } from './routes/health.js';
import { modelsHandler } from './routes/models.js';
import { metricsHandler } from './routes/metrics.js';
import { createGatewayListener, type RequestListener } from './server.js';
import { createCorsPolicy } from './cors.js';
import type { GatewayContext } from './context.js';
import type { AdminDeps } from './admin/admin-deps.js';
import { ADMIN_PREFIX, adminApiHandler } from './admin/admin-api.js';
import { UI_PREFIX, uiStaticHandler } from './ui-static.js';

export interface GatewayOptions {
  config: ArbiterConfig;
  runtime: Runtime;
  logger: Logger;
  controls?: ChatControls;
  /** Auth and other request-level middleware, outermost first. */
  middleware?: Middleware[];
  renderMetrics?: () => Promise<{ contentType: string; body: string }>;
  onResponse?: (ctx: GatewayContext, status: number) => void;
  /** Keeps Responses API turns for `previous_response_id` (routes that store bodies only). */
  store?: Store;
  /** The dashboard (/ui) and its admin API (/admin/api/*); absent in tests that need neither. */
  admin?: AdminDeps;
}

export function createGatewayApp(options: GatewayOptions): RequestListener {
  const bodyLimitBytes = options.config.server.bodyLimitBytes;
  const controls = options.controls ?? openChatControls;
  const chatDeps = { runtime: options.runtime, bodyLimitBytes, controls };
  return createGatewayListener({
    logger: options.logger,
    middleware: options.middleware ?? [],
    onResponse: options.onResponse,
    cors: createCorsPolicy(options.config.server.cors),
    prefixRoutes: options.admin ? [
      { prefix: ADMIN_PREFIX, handler: adminApiHandler(options.admin) },
      { prefix: UI_PREFIX, handler: uiStaticHandler() },
    ] : undefined,
    routes: {
      'GET /healthz': healthHandler(),
      'GET /metrics': metricsHandler(options.renderMetrics),
      'GET /v1/models': modelsHandler(options.runtime),
      'POST /v1/chat/completions': { handler: chatCompletionsHandler(chatDeps), entrance: 'chat' },
      'POST /v1/embeddings': { handler: embeddingsHandler(chatDeps), entrance: 'embeddings' },
      'POST /v1/messages': { handler: messagesHandler(chatDeps), entrance: 'messages', errorFormat: anthropicErrorBody },
      'POST /v1/responses': { handler: responsesHandler({ ...chatDeps, store: options.store }), entrance: 'responses' },
      'POST /v1/messages/count_tokens': { handler: countTokensHandler(chatDeps), entrance: 'messages', errorFormat: anthropicErrorBody },
    },
  });
}

/**
 * The admin API under /admin/api/*: one handler for the prefix, its own guard (the master
 * key, see admin-auth.ts) instead of the gateway's key middleware, and no audit rows of its
 * own, so a dashboard polling it does not fill the trail it shows.
 */
import { ArbiterError } from '../../core/errors.js';
import type { Handler } from '../context.js';
import { sendJson } from '../send-json.js';
import { checkAdminAccess } from './admin-auth.js';
import type { AdminDeps } from './admin-deps.js';
import { evalCompareHandler, evalReportHandler, evalRunsHandler, evalTrendHandler } from './evals-api.js';
import { createKeyHandler, listKeysHandler, revokeKeyHandler, rotateKeyHandler } from './keys-api.js';
import { logDetailHandler, logStreamHandler, logsHandler } from './logs-api.js';
import { providersHandler } from './providers-api.js';
import { budgetsHandler, spendHandler } from './spend-api.js';

export const ADMIN_PREFIX = '/admin/api/';

function metaHandler(deps: AdminDeps): Handler {
  return async function meta(ctx) {
    const keys = await deps.keys.list();
    sendJson(ctx, 200, {
      now: (deps.now ?? Date.now)(),
      dialect: deps.store.dialect,
      routes: Object.keys(deps.config.routes),
      models: [...new Set(deps.runtime.deployments.map((deployment) => deployment.model))],
      deployments: deps.runtime.deployments.map((deployment) => deployment.name),
      keys: keys.slice(-500).map((key) => ({ id: key.id, name: key.name, revoked: key.revokedAt !== null })),
      liveFeed: deps.feed !== undefined,
    });
  };
}

export function adminApiHandler(deps: AdminDeps): Handler {
  const table: Record<string, Handler> = {
    'GET meta': metaHandler(deps),
    'GET spend': spendHandler(deps),
    'GET budgets': budgetsHandler(deps),
    'GET logs': logsHandler(deps),
    'GET logs/detail': logDetailHandler(deps),
    'GET logs/stream': logStreamHandler(deps),
    'GET keys': listKeysHandler(deps),
    'POST keys': createKeyHandler(deps),
    'POST keys/revoke': revokeKeyHandler(deps),
    'POST keys/rotate': rotateKeyHandler(deps),
    'GET evals/runs': evalRunsHandler(deps),
    'GET evals/report': evalReportHandler(deps),
    'GET evals/compare': evalCompareHandler(deps),
    'GET evals/trend': evalTrendHandler(deps),
    'GET providers': providersHandler(deps),
  };
  const routes = new Map(Object.entries(table));
  const paths = new Set([...routes.keys()].map((key) => key.slice(key.indexOf(' ') + 1)));
  return async function adminApi(ctx) {
    checkAdminAccess(ctx, deps.masterKey);
    // Admin answers are per-user and live: never cached by a browser or a proxy.
    ctx.responseHeaders['cache-control'] = 'no-store';
    const sub = ctx.path.slice(ADMIN_PREFIX.length);
    const method = ctx.method === 'HEAD' ? 'GET' : ctx.method;
    const handler = routes.get(`${method} ${sub}`);
    if (handler) return handler(ctx);
    if (paths.has(sub)) throw new ArbiterError('invalid_request', `Method ${ctx.method} is not allowed on ${ctx.path}.`, { status: 405 });
    throw new ArbiterError('not_found', `Unknown admin endpoint ${ctx.method} ${ctx.path}.`);
  };
}

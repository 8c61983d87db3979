/**
 * Authentication: once any virtual key exists every request needs `Authorization: Bearer`
 * with a valid key (or the master key); with no keys at all the gateway only answers
 * loopback callers, so a fresh install is never an open proxy.
 */
import { ArbiterError } from '../../core/errors.js';
import { KEY_PREFIX, bearerToken, isMasterKey, type KeyService, type VirtualKey } from '../../controls/keys.js';
import type { GatewayContext, Middleware } from '../context.js';

const loopback = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export function isLoopback(address: string | undefined): boolean {
  return address !== undefined && loopback.has(address);
}

export interface AuthOptions {
  keys: Pick<KeyService, 'authenticate' | 'hasKeys'> & Partial<Pick<KeyService, 'refreshIfStale'>>;
  masterKey?: string;
  /** Paths served without credentials. */
  publicPaths?: readonly string[];
}

/**
 * Anthropic clients send the key as `x-api-key` (the SDK's apiKey, Claude Code's
 * ANTHROPIC_API_KEY) and as a Bearer token only with an auth token (ANTHROPIC_AUTH_TOKEN):
 * on the Messages entrance either is the key.
 * https://docs.anthropic.com/en/api/overview#authentication
 */
const apiKeyHeaderPaths = new Set(['/v1/messages', '/v1/messages/count_tokens']);

function authorizationHeader(ctx: GatewayContext): string | undefined {
  const value = ctx.req.headers.authorization;
  if (typeof value === 'string' && value !== '') return value;
  if (apiKeyHeaderPaths.has(ctx.path)) {
    const apiKey = ctx.req.headers['x-api-key'];
    if (typeof apiKey === 'string' && apiKey !== '') return `Bearer ${apiKey}`;
  }
  return typeof value === 'string' ? value : undefined;
}

/** A key unknown to this process may have been created (or revoked) since it last loaded: look once more. */
async function authenticateFresh(keys: AuthOptions['keys'], authorization: string | undefined): Promise<VirtualKey> {
  try {
    return keys.authenticate(authorization);
  } catch (error) {
    if (!keys.refreshIfStale) throw error;
    await keys.refreshIfStale();
    return keys.authenticate(authorization);
  }
}

export function authMiddleware(options: AuthOptions): Middleware {
  const publicPaths = new Set(options.publicPaths ?? ['/healthz']);
  return async function auth(ctx, next) {
    const local = isLoopback(ctx.req.socket.remoteAddress);
    ctx.vars.isLocalRequest = local;
    if (publicPaths.has(ctx.path)) return next();
    const authorization = authorizationHeader(ctx);
    const token = bearerToken(authorization);
    if (isMasterKey(token, options.masterKey)) {
      ctx.vars.keyName = 'master';
      return next();
    }
    if (options.keys.hasKeys() || token?.startsWith(KEY_PREFIX)) {
      const key = await authenticateFresh(options.keys, authorization);
      ctx.vars.keyId = key.id;
      ctx.vars.keyName = key.name;
      if (key.route) ctx.vars.keyRoute = key.route;
      return next();
    }
    if (!local) {
      throw new ArbiterError('invalid_api_key', 'No API keys are configured, so this gateway only accepts requests from localhost. Create one with `arbiter keys create --name NAME --route ROUTE` and send it as "Authorization: Bearer arb_...".');
    }
    return next();
  };
}

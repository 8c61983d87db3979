/**
 * The admin API's guard: the master key (`Authorization: Bearer <master key>`), never a
 * virtual key, since the admin API mints and revokes them. With no master key configured it
 * answers loopback callers only, like the gateway with no keys.
 */
import { ArbiterError } from '../../core/errors.js';
import { bearerToken, isMasterKey } from '../../controls/keys.js';
import type { GatewayContext } from '../context.js';
import { isLoopback } from '../middleware/auth.js';

export function checkAdminAccess(ctx: GatewayContext, masterKey: string | undefined): void {
  const authorization = ctx.req.headers.authorization;
  const token = bearerToken(typeof authorization === 'string' ? authorization : undefined);
  if (masterKey) {
    if (isMasterKey(token, masterKey)) return;
    throw new ArbiterError('invalid_api_key', token ? 'Invalid master key for the admin API.' : 'The admin API needs the master key: send "Authorization: Bearer <master key>".');
  }
  if (!isLoopback(ctx.req.socket.remoteAddress)) {
    throw new ArbiterError('permission_denied', 'No master key is configured, so the admin API only answers requests from localhost. Set the master key (server.masterKeyEnv) to use it remotely.');
  }
}

import type { Handler } from '../context.js';
import { sendJson } from '../send-json.js';

export function healthHandler(): Handler {
  return async function health(ctx) {
    sendJson(ctx, 200, { status: 'ok' });
  };
}

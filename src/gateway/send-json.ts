import type { GatewayContext } from './context.js';

export function sendJson(ctx: GatewayContext, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  ctx.res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...ctx.responseHeaders,
    ...headers,
  });
  ctx.res.end(text);
}

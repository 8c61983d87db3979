import type { GatewayContext } from './context.js';

/** The request's own header object goes out: it is built once per request and sent once. */
export function sendJson(ctx: GatewayContext, status: number, body: unknown): void {
  sendJsonText(ctx, status, JSON.stringify(body));
}

/** A body already encoded as JSON. */
export function sendJsonText(ctx: GatewayContext, status: number, text: string): void {
  const out = ctx.responseHeaders;
  out['content-type'] = 'application/json';
  out['content-length'] = String(Buffer.byteLength(text));
  ctx.res.writeHead(status, out);
  ctx.res.end(text);
}

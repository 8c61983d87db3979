/** Gives every request an id (honouring a sane incoming `x-request-id`) and echoes it. */
import { randomUUID } from 'node:crypto';
import type { Middleware } from '../context.js';

const safeId = /^[A-Za-z0-9._:-]{1,128}$/;

export function pickRequestId(incoming: string | string[] | undefined): string {
  return typeof incoming === 'string' && safeId.test(incoming) ? incoming : `req_${randomUUID().replaceAll('-', '')}`;
}

export function requestIdHeader(): Middleware {
  return async function requestIdHeaderMiddleware(ctx, next) {
    ctx.responseHeaders['x-request-id'] = ctx.requestId;
    await next();
  };
}

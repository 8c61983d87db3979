/** Every request's id: a sane incoming `x-request-id` is honoured (the request context echoes it). */
import { randomUUID } from 'node:crypto';

const safeId = /^[A-Za-z0-9._:-]{1,128}$/;

export function pickRequestId(incoming: string | string[] | undefined): string {
  return typeof incoming === 'string' && safeId.test(incoming) ? incoming : `req_${randomUUID().replaceAll('-', '')}`;
}

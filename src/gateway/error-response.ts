/**
 * The only place that writes OpenAI's error body. Anything that is not an ArbiterError
 * becomes a generic 500 carrying the request id, so internals never leak.
 * Reference: https://platform.openai.com/docs/guides/error-codes
 */
import type { ServerResponse } from 'node:http';
import { ArbiterError, isArbiterError } from '../core/errors.js';
import { redactSecrets } from '../telemetry/logger.js';

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export function toArbiterError(error: unknown, requestId: string): ArbiterError {
  if (isArbiterError(error)) return error;
  return new ArbiterError('internal_error', `Internal error (request ${requestId}).`, { cause: error });
}

export function errorBody(error: ArbiterError): OpenAIErrorBody {
  return {
    error: {
      message: redactSecrets(error.message),
      type: error.type,
      param: error.param,
      code: error.code,
    },
  };
}

export function errorHeaders(error: ArbiterError): Record<string, string> {
  const headers: Record<string, string> = {};
  if (error.retryAfterMs !== undefined) {
    headers['retry-after'] = String(Math.max(1, Math.ceil(error.retryAfterMs / 1000)));
    headers['retry-after-ms'] = String(Math.round(error.retryAfterMs));
  }
  return headers;
}

/** An entrance's error body (Anthropic's and OpenAI's differ); OpenAI's is the default. */
export type ErrorFormat = (error: ArbiterError, requestId: string) => unknown;

export function sendError(res: ServerResponse, error: ArbiterError, extraHeaders: Record<string, string> = {}, format?: ErrorFormat): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(format ? format(error, extraHeaders['x-request-id'] ?? '') : errorBody(error));
  // The error body's own type and length win over any the request had set before it failed.
  res.writeHead(error.status, {
    ...errorHeaders(error),
    ...extraHeaders,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

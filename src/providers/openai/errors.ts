/**
 * OpenAI error bodies (`{ error: { message, type, param, code } }`), sent as HTTP responses
 * and, by OpenAI and most compatible servers, as a `data:` event mid-stream after a 200.
 * https://platform.openai.com/docs/guides/error-codes
 */
import { ArbiterError, type ErrorCode } from '../../core/errors.js';
import type { ErrorMessageParser } from '../http.js';

interface OpenAIErrorObject { message?: unknown; type?: unknown; param?: unknown; code?: unknown }

export const parseOpenAIError: ErrorMessageParser = (body) => {
  const error = (body as { error?: OpenAIErrorObject } | undefined)?.error;
  if (!error || typeof error !== 'object') return undefined;
  return {
    ...(typeof error.message === 'string' ? { message: error.message } : {}),
    ...(typeof error.type === 'string' ? { type: error.type } : {}),
    param: typeof error.param === 'string' ? error.param : null,
    // insufficient_quota is a 429 that waiting does not fix (billing); a rate limit is one it does.
    ...(error.code === 'insufficient_quota' || error.type === 'insufficient_quota' ? { retryable: false } : {}),
  };
};

/** An in-band error has no HTTP status: its type/code say which one it would have had. */
function mapStreamErrorKind(error: OpenAIErrorObject): { code: ErrorCode; status: number } {
  const kind = `${typeof error.code === 'string' ? error.code : ''} ${typeof error.type === 'string' ? error.type : ''}`;
  if (/context_length_exceeded/.test(kind)) return { code: 'context_length_exceeded', status: 400 };
  if (/rate_limit|requests|tokens/.test(kind)) return { code: 'rate_limit_exceeded', status: 429 };
  if (/invalid_request/.test(kind)) return { code: 'invalid_request', status: 400 };
  if (/timeout/.test(kind)) return { code: 'upstream_timeout', status: 504 };
  if (/overloaded|unavailable/.test(kind)) return { code: 'upstream_unavailable', status: 503 };
  return { code: 'upstream_error', status: 502 };
}

/** Returns the mapped error when a stream payload is an error object rather than a chunk. */
export function openAIStreamError(payload: unknown, provider: string): ArbiterError | undefined {
  const error = (payload as { error?: OpenAIErrorObject } | undefined)?.error;
  if (!error || typeof error !== 'object') return undefined;
  const mapped = mapStreamErrorKind(error);
  return new ArbiterError(mapped.code, typeof error.message === 'string' ? error.message : 'upstream stream error', {
    status: mapped.status,
    param: typeof error.param === 'string' ? error.param : null,
    upstream: { provider, status: mapped.status, body: JSON.stringify(payload).slice(0, 2000) },
  });
}

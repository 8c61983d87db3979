/**
 * Anthropic error bodies (`{ type: 'error', error: { type, message, details? } }`), both as
 * HTTP responses and as the `error` event that can arrive mid-stream after a 200.
 * https://docs.anthropic.com/en/api/errors
 */
import { ArbiterError, type ErrorCode } from '../../core/errors.js';
import type { ErrorMessageParser } from '../http.js';

interface AnthropicErrorObject { type?: unknown; message?: unknown; details?: { error_code?: unknown } | null }

/** The documented error types with the status each is sent with. */
export function mapAnthropicErrorType(type: string | undefined): { code: ErrorCode; status: number } {
  switch (type) {
    case 'invalid_request_error': return { code: 'invalid_request', status: 400 };
    case 'authentication_error': return { code: 'invalid_api_key', status: 401 };
    case 'billing_error': return { code: 'permission_denied', status: 402 };
    case 'permission_error': return { code: 'permission_denied', status: 403 };
    case 'not_found_error': return { code: 'not_found', status: 404 };
    case 'request_too_large': return { code: 'payload_too_large', status: 413 };
    case 'rate_limit_error': return { code: 'rate_limit_exceeded', status: 429 };
    case 'timeout_error': return { code: 'upstream_timeout', status: 504 };
    // 529 in HTTP; OpenAI's vocabulary has no 529, 503 says the same.
    case 'overloaded_error': return { code: 'upstream_unavailable', status: 503 };
    case 'api_error':
    default: return { code: 'upstream_error', status: 502 };
  }
}

/**
 * A 429 whose details name a spend limit will not pass on retry until the month turns
 * (https://docs.anthropic.com/en/api/errors), unlike a per-minute rate limit.
 */
function isSpendLimit(error: AnthropicErrorObject): boolean {
  const code = error.details?.error_code;
  return typeof code === 'string' && code.endsWith('spend_limit_reached');
}

export const parseAnthropicError: ErrorMessageParser = (body) => {
  const error = (body as { error?: AnthropicErrorObject } | undefined)?.error;
  if (!error || typeof error !== 'object') return undefined;
  return {
    ...(typeof error.message === 'string' ? { message: error.message } : {}),
    ...(typeof error.type === 'string' ? { type: error.type } : {}),
    ...(isSpendLimit(error) ? { retryable: false } : {}),
  };
};

/** The in-band `error` event: status and retryability come from its type, as its HTTP twin's would. */
export function anthropicStreamError(error: AnthropicErrorObject | undefined): ArbiterError {
  const type = typeof error?.type === 'string' ? error.type : undefined;
  const mapped = mapAnthropicErrorType(type);
  const message = typeof error?.message === 'string' ? error.message : 'Anthropic stream error';
  return new ArbiterError(mapped.code, message, {
    status: mapped.status,
    ...(error && isSpendLimit(error) ? { retryable: false } : {}),
    upstream: { provider: 'anthropic', status: mapped.status, body: JSON.stringify({ type: 'error', error }).slice(0, 2000) },
  });
}

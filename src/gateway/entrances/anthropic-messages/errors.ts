/**
 * Errors in Anthropic's shape, `{ type: 'error', error: { type, message }, request_id }`, with
 * Anthropic's error type for the status, so the anthropic SDK raises its matching class.
 * https://docs.anthropic.com/en/api/errors
 */
import type { ArbiterError } from '../../../core/errors.js';
import { redactSecrets } from '../../../telemetry/logger.js';

export interface AnthropicErrorBody {
  type: 'error';
  error: { type: string; message: string };
  request_id?: string;
}

export function anthropicErrorType(error: ArbiterError): string {
  if (error.code === 'budget_exceeded') return 'rate_limit_error';
  switch (error.status) {
    case 400: case 405: case 422: return 'invalid_request_error';
    case 401: return 'authentication_error';
    case 402: return 'billing_error';
    case 403: return 'permission_error';
    case 404: return 'not_found_error';
    case 408: case 504: return 'timeout_error';
    case 413: return 'request_too_large';
    case 429: return 'rate_limit_error';
    case 529: return 'overloaded_error';
    default: return error.status >= 400 && error.status < 500 ? 'invalid_request_error' : 'api_error';
  }
}

export function anthropicErrorBody(error: ArbiterError, requestId?: string): AnthropicErrorBody {
  // The offending field is in the message: Anthropic's body has no param member.
  const message = redactSecrets(error.message);
  return { type: 'error', error: { type: anthropicErrorType(error), message }, ...(requestId ? { request_id: requestId } : {}) };
}

/**
 * Gemini errors are google.rpc.Status objects (`{ error: { code, message, status, details } }`),
 * as HTTP bodies and as a `data:` event mid-stream. A 429 carries its delay in a RetryInfo
 * detail rather than a Retry-After header; a bad key is a 400 with reason API_KEY_INVALID.
 * https://ai.google.dev/gemini-api/docs/troubleshooting#error-codes
 * https://cloud.google.com/apis/design/errors#error_details
 */
import { ArbiterError, type ErrorCode } from '../../core/errors.js';
import type { ErrorMessageParser, UpstreamErrorDetail } from '../http.js';

interface RpcDetail { '@type'?: unknown; retryDelay?: unknown; reason?: unknown }
export interface RpcStatus { code?: unknown; message?: unknown; status?: unknown; details?: unknown }

/** The canonical gRPC status names with the HTTP status Google maps each to. */
export function mapRpcStatus(status: string | undefined): { code: ErrorCode; status: number } {
  switch (status) {
    case 'INVALID_ARGUMENT':
    case 'FAILED_PRECONDITION':
    case 'OUT_OF_RANGE':
      return { code: 'invalid_request', status: 400 };
    case 'UNAUTHENTICATED': return { code: 'invalid_api_key', status: 401 };
    case 'PERMISSION_DENIED': return { code: 'permission_denied', status: 403 };
    case 'NOT_FOUND': return { code: 'not_found', status: 404 };
    case 'ABORTED':
    case 'ALREADY_EXISTS':
      return { code: 'conflict', status: 409 };
    case 'RESOURCE_EXHAUSTED': return { code: 'rate_limit_exceeded', status: 429 };
    case 'UNAVAILABLE': return { code: 'upstream_unavailable', status: 503 };
    case 'DEADLINE_EXCEEDED': return { code: 'upstream_timeout', status: 504 };
    case 'INTERNAL':
    case 'UNKNOWN':
    default:
      return { code: 'upstream_error', status: 502 };
  }
}

/** A protobuf Duration in JSON ("27s", "0.5s") in milliseconds. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value.trim());
  return match ? Math.round(Number(match[1]) * 1000) : undefined;
}

function details(error: RpcStatus): RpcDetail[] {
  return Array.isArray(error.details) ? error.details.filter((d): d is RpcDetail => typeof d === 'object' && d !== null) : [];
}

function describe(error: RpcStatus): UpstreamErrorDetail {
  const out: UpstreamErrorDetail = {};
  if (typeof error.message === 'string') out.message = error.message;
  if (typeof error.status === 'string') out.type = error.status;
  for (const detail of details(error)) {
    const type = typeof detail['@type'] === 'string' ? detail['@type'] : '';
    if (type.endsWith('google.rpc.RetryInfo')) {
      const delay = parseDuration(detail.retryDelay);
      if (delay !== undefined) out.retryAfterMs = delay;
    } else if (type.endsWith('google.rpc.ErrorInfo') && detail.reason === 'API_KEY_INVALID') {
      out.code = 'invalid_api_key';
      out.status = 401;
    }
  }
  return out;
}

export const parseGeminiError: ErrorMessageParser = (body) => {
  const error = (body as { error?: RpcStatus } | undefined)?.error;
  if (!error || typeof error !== 'object') return undefined;
  return describe(error);
};

/** An error object sent in place of a chunk: mapped by its status name as its HTTP twin would be. */
export function geminiStreamError(error: RpcStatus): ArbiterError {
  const detail = describe(error);
  const mapped = mapRpcStatus(detail.type);
  const status = detail.status ?? mapped.status;
  return new ArbiterError(detail.code ?? mapped.code, detail.message ?? 'Gemini stream error', {
    status,
    ...(detail.retryAfterMs !== undefined ? { retryAfterMs: detail.retryAfterMs } : {}),
    upstream: { provider: 'gemini', status, body: JSON.stringify({ error }).slice(0, 2000) },
  });
}

/**
 * One error type for the whole system. Every failure carries a stable `code` from this
 * catalog; the catalog fixes its HTTP status and OpenAI error `type`, so only
 * gateway/error-response.ts needs to know how the wire body looks.
 */
export const errorCatalog = {
  invalid_request: { status: 400, type: 'invalid_request_error' },
  context_length_exceeded: { status: 400, type: 'invalid_request_error' },
  invalid_api_key: { status: 401, type: 'invalid_request_error' },
  permission_denied: { status: 403, type: 'permission_error' },
  tool_not_allowed: { status: 403, type: 'permission_error' },
  model_not_found: { status: 404, type: 'invalid_request_error' },
  not_found: { status: 404, type: 'invalid_request_error' },
  request_timeout: { status: 408, type: 'timeout_error' },
  conflict: { status: 409, type: 'invalid_request_error' },
  payload_too_large: { status: 413, type: 'invalid_request_error' },
  unprocessable: { status: 422, type: 'invalid_request_error' },
  rate_limit_exceeded: { status: 429, type: 'requests' },
  budget_exceeded: { status: 429, type: 'insufficient_quota' },
  client_closed: { status: 499, type: 'invalid_request_error' },
  internal_error: { status: 500, type: 'server_error' },
  upstream_error: { status: 502, type: 'api_error' },
  all_targets_failed: { status: 502, type: 'api_error' },
  no_route_candidates: { status: 503, type: 'api_error' },
  upstream_unavailable: { status: 503, type: 'api_error' },
  /** The shared budget and rate-limit store (Redis) cannot be reached: limited keys are refused, never counted per process. */
  admission_unavailable: { status: 503, type: 'api_error' },
  upstream_timeout: { status: 504, type: 'timeout_error' },
} as const satisfies Record<string, { status: number; type: string }>;

export type ErrorCode = keyof typeof errorCatalog;

/** What the upstream said, kept verbatim beside our mapping (never includes request headers or keys). */
export interface UpstreamErrorInfo {
  provider: string;
  deployment?: string;
  status?: number;
  body?: string;
  retryAfterMs?: number;
}

export interface ArbiterErrorOptions {
  param?: string | null;
  /** Overrides the catalog status, e.g. to keep an upstream 401 a 401. */
  status?: number;
  retryable?: boolean;
  retryAfterMs?: number;
  upstream?: UpstreamErrorInfo;
  cause?: unknown;
  /** Fallback chains attach the failures of every target they tried. */
  attempts?: ArbiterError[];
}

export class ArbiterError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly type: string;
  readonly param: string | null;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly upstream: UpstreamErrorInfo | undefined;
  readonly attempts: ArbiterError[] | undefined;

  constructor(code: ErrorCode, message: string, options: ArbiterErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ArbiterError';
    this.code = code;
    this.status = options.status ?? errorCatalog[code].status;
    this.type = errorCatalog[code].type;
    this.param = options.param ?? null;
    this.retryable = options.retryable ?? isRetryableStatus(this.status);
    this.retryAfterMs = options.retryAfterMs;
    this.upstream = options.upstream;
    this.attempts = options.attempts;
  }
}

/** 408, 409, 429 and 5xx are worth another try; other 4xx are the caller's fault. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

export function isArbiterError(value: unknown): value is ArbiterError {
  return value instanceof ArbiterError;
}

/** Maps an upstream HTTP status to our catalog, keeping the status itself. */
export function errorCodeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400: return 'invalid_request';
    case 401: return 'invalid_api_key';
    case 403: return 'permission_denied';
    case 404: return 'not_found';
    case 408: return 'request_timeout';
    case 409: return 'conflict';
    case 413: return 'payload_too_large';
    case 422: return 'unprocessable';
    case 429: return 'rate_limit_exceeded';
    case 503: return 'upstream_unavailable';
    case 504: return 'upstream_timeout';
    default: return status >= 500 ? 'upstream_error' : 'invalid_request';
  }
}

/** Parses a Retry-After header (seconds or HTTP date) or retry-after-ms into milliseconds. */
export function parseRetryAfter(retryAfter: string | null | undefined, retryAfterMs?: string | null, now = Date.now()): number | undefined {
  if (retryAfterMs) {
    const ms = Number(retryAfterMs);
    if (Number.isFinite(ms) && ms >= 0) return ms;
  }
  if (!retryAfter) return undefined;
  const seconds = Number(retryAfter);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

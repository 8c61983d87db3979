/**
 * CORS for browser clients calling the gateway directly (off unless `server.cors.origins` is
 * set). Preflights are answered before authentication, as browsers send them without
 * credentials; the actual request is then authenticated as any other.
 * https://fetch.spec.whatwg.org/#http-cors-protocol
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface CorsConfig {
  /** Allowed origins (`https://app.example.com`), or `*` for any. Empty: CORS off. */
  origins: string[];
  maxAgeSeconds: number;
}

export interface CorsPolicy {
  /** Headers for a response to `origin`, or undefined when that origin is not allowed. */
  responseHeaders(origin: string): Record<string, string> | undefined;
  /** The extra headers of a preflight answer. */
  preflightHeaders(headers: IncomingHttpHeaders): Record<string, string>;
}

// What a browser client may read of our answers: the request id and Arbiter's decision headers.
const EXPOSED = [
  'x-request-id', 'x-arbiter-model', 'x-arbiter-deployment', 'x-arbiter-route', 'x-arbiter-reason', 'x-arbiter-cost-usd',
  'x-arbiter-cache', 'x-arbiter-retries', 'x-arbiter-fallbacks', 'x-arbiter-simulated', 'x-arbiter-budget-warning', 'retry-after',
].join(', ');
const ALLOWED_HEADERS = 'authorization, content-type, x-request-id, x-arbiter-route, x-arbiter-cache, cache-control';

export function createCorsPolicy(config: CorsConfig | undefined): CorsPolicy | undefined {
  if (!config || config.origins.length === 0) return undefined;
  const any = config.origins.includes('*');
  const allowed = new Set(config.origins.map((origin) => origin.replace(/\/+$/, '').toLowerCase()));
  return {
    responseHeaders(origin) {
      if (!any && !allowed.has(origin.toLowerCase())) return undefined;
      // The origin is echoed rather than `*`, so a request carrying a key is allowed too.
      return { 'access-control-allow-origin': origin, vary: 'origin', 'access-control-expose-headers': EXPOSED };
    },
    preflightHeaders(headers) {
      const requested = headers['access-control-request-headers'];
      return {
        'access-control-allow-methods': 'GET, POST, HEAD, OPTIONS',
        'access-control-allow-headers': typeof requested === 'string' && /^[\w\-, ]{1,1000}$/.test(requested) ? requested : ALLOWED_HEADERS,
        'access-control-max-age': String(config.maxAgeSeconds),
      };
    },
  };
}

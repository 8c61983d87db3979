/**
 * Upstream HTTP for every adapter: one undici Agent with keep-alive pools per origin, the
 * deployment's connect / first-byte / total timeouts, the caller's abort, and one mapping of
 * transport failures to ArbiterError. Keys travel in headers only and never in errors.
 */
import { Agent, errors as undiciErrors, type Dispatcher } from 'undici';
import { ArbiterError, errorCodeForStatus, parseRetryAfter, type ErrorCode } from '../core/errors.js';
import type { Deployment, ProviderCallOptions } from '../core/provider.js';
import { redactSecrets } from '../telemetry/logger.js';
import type { CancelSignal } from '../core/cancel-signal.js';
import { UpstreamBody } from './upstream-body.js';

export interface DispatcherOptions { connectionsPerOrigin: number; keepAliveTimeoutMs: number; connectTimeoutMs: number }

export function createUpstreamDispatcher(options: DispatcherOptions): Agent {
  return new Agent({
    connections: options.connectionsPerOrigin,
    keepAliveTimeout: options.keepAliveTimeoutMs,
    connect: { timeout: options.connectTimeoutMs },
  });
}

let defaultDispatcher: Agent | undefined;
function fallbackDispatcher(): Agent {
  defaultDispatcher ??= createUpstreamDispatcher({ connectionsPerOrigin: 64, keepAliveTimeoutMs: 30_000, connectTimeoutMs: 5_000 });
  return defaultDispatcher;
}

/**
 * What a provider's error body says beyond its HTTP status; each adapter knows its own shape.
 * `code`/`status` refine the status mapping (Gemini answers a bad key with 400, OpenAI's
 * vocabulary says 401), `retryable` overrides the status default (a spent monthly quota is a
 * 429 that no retry fixes) and `retryAfterMs` is a delay given in the body instead of a header.
 */
export interface UpstreamErrorDetail {
  message?: string;
  type?: string;
  param?: string | null;
  code?: ErrorCode;
  status?: number;
  retryable?: boolean;
  retryAfterMs?: number;
}

export type ErrorMessageParser = (body: unknown) => UpstreamErrorDetail | undefined;

export interface UpstreamResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: UpstreamBody;
}

const MAX_ERROR_BODY = 16 * 1024;

function headerString(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

async function readCapped(body: UpstreamBody): Promise<string> {
  let text = '';
  for await (const chunk of body) {
    if (text.length < MAX_ERROR_BODY) text += chunk.toString('utf8');
  }
  return text.slice(0, MAX_ERROR_BODY);
}

function transportError(error: unknown, deployment: Deployment, callerSignal?: CancelSignal): ArbiterError {
  if (error instanceof ArbiterError) return error;
  const upstream = { provider: deployment.provider, deployment: deployment.name };
  if (callerSignal?.aborted) return new ArbiterError('client_closed', 'The client closed the request.', { upstream, retryable: false, cause: error });
  if (error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError || error instanceof undiciErrors.ConnectTimeoutError
    || (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))) {
    return new ArbiterError('upstream_timeout', `Deployment ${deployment.name} timed out.`, { upstream, cause: error });
  }
  const code = (error as { code?: string }).code ?? '';
  return new ArbiterError('upstream_unavailable', `Deployment ${deployment.name} could not be reached (${code || (error as Error).message}).`, { upstream, cause: error });
}

/**
 * A failure reading a stream's body after the upstream accepted it: a reset or an early close
 * is a cut (`upstream_cut`, worth another deployment before the first byte); a timeout and the
 * client's own abort keep their codes.
 */
export function streamReadError(error: unknown, deployment: Deployment, callerSignal?: CancelSignal): ArbiterError {
  const mapped = transportError(error, deployment, callerSignal);
  if (mapped.code !== 'upstream_unavailable') return mapped;
  const code = (error as { code?: string }).code ?? '';
  return new ArbiterError('upstream_cut', `Deployment ${deployment.name} cut the stream short (${code || (error as Error).message}).`, { upstream: mapped.upstream, retryable: true, cause: error });
}

/** Origin and path of each upstream URL, parsed once: `new URL` on every call shows at gateway rates. */
const splitUrls = new Map<string, { origin: string; path: string }>();
const MAX_SPLIT_URLS = 1_000;

function splitUrl(url: string): { origin: string; path: string } {
  let split = splitUrls.get(url);
  if (!split) {
    const parsed = new URL(url);
    split = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
    // Deployments are few; a bound keeps per-request URLs (none today) from growing it.
    if (splitUrls.size >= MAX_SPLIT_URLS) splitUrls.clear();
    splitUrls.set(url, split);
  }
  return split;
}

/**
 * One upstream call as undici's dispatch handler: it resolves with the status and headers,
 * then feeds the body. An abort (the caller's, or the total timeout) goes straight to
 * undici's controller; one that comes while the request still waits for a connection fails
 * the call at once and cancels the request when it reaches a socket.
 */
class UpstreamCall implements Dispatcher.DispatchHandler {
  readonly head: Promise<UpstreamResponse>;
  private resolveHead!: (response: UpstreamResponse) => void;
  private rejectHead!: (error: unknown) => void;
  private controller: Dispatcher.DispatchController | undefined;
  private body: UpstreamBody | undefined;
  private abortReason: Error | undefined;

  constructor(private readonly onBodySettled: () => void) {
    this.head = new Promise<UpstreamResponse>((resolve, reject) => {
      this.resolveHead = resolve;
      this.rejectHead = reject;
    });
  }

  abort(reason: Error): void {
    if (this.controller) {
      this.controller.abort(reason);
    } else if (!this.abortReason) {
      this.abortReason = reason;
      this.rejectHead(reason);
    }
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.abortReason) controller.abort(this.abortReason);
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    this.body = new UpstreamBody(controller, this.onBodySettled);
    this.resolveHead({ statusCode, headers, body: this.body });
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.body?.push(chunk);
  }

  onResponseEnd(): void {
    this.body?.end();
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (this.body) this.body.fail(error);
    else this.rejectHead(error);
  }
}

interface Deadline { release(): void }

/** The caller's abort joined with the total timeout: one timer and one listener, released when the body settles. */
function linkDeadline(callerSignal: CancelSignal | undefined, totalMs: number, call: UpstreamCall): Deadline {
  const onCallerAbort = () => call.abort(abortReason(callerSignal?.reason));
  const timer = setTimeout(() => call.abort(new DOMException('The upstream call exceeded its total timeout.', 'TimeoutError')), totalMs);
  timer.unref();
  if (callerSignal?.aborted) onCallerAbort();
  else callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  return {
    release() {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    },
  };
}

function abortReason(reason: unknown): Error {
  return reason instanceof Error ? reason : new DOMException('The caller aborted the upstream call.', 'AbortError');
}

export interface PostOptions {
  deployment: Deployment;
  url: string;
  body: unknown;
  headers: Record<string, string>;
  call: ProviderCallOptions;
  parseErrorMessage: ErrorMessageParser;
}

/** POSTs JSON; resolves with a 2xx response (body unread) or throws a mapped ArbiterError. */
export async function postJson(options: PostOptions): Promise<UpstreamResponse> {
  const { deployment, call } = options;
  // The total deadline covers the body too (a stream may run for minutes); it ends with it.
  const upstream = new UpstreamCall(() => deadline.release());
  const deadline = linkDeadline(call.signal, deployment.timeouts.totalMs, upstream);
  let response: UpstreamResponse;
  try {
    const { origin, path } = splitUrl(options.url);
    (call.dispatcher ?? fallbackDispatcher()).dispatch({
      origin,
      path,
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...deployment.headers, ...call.headers, ...options.headers },
      body: JSON.stringify(options.body),
      headersTimeout: deployment.timeouts.firstByteMs,
      bodyTimeout: deployment.timeouts.firstByteMs,
    }, upstream);
    response = await upstream.head;
  } catch (error) {
    deadline.release();
    throw transportError(error, deployment, call.signal);
  }
  if (response.statusCode >= 200 && response.statusCode < 300) return response;
  const text = await readCapped(response.body).catch(() => '');
  let parsed: unknown;
  try { parsed = JSON.parse(text); } catch { parsed = undefined; }
  const detail = options.parseErrorMessage(parsed);
  // Anthropic's 529 "overloaded" is a 503 in OpenAI's vocabulary.
  const status = detail?.status ?? (response.statusCode === 529 ? 503 : response.statusCode);
  const retryAfterMs = parseRetryAfter(headerString(response.headers['retry-after']), headerString(response.headers['retry-after-ms'])) ?? detail?.retryAfterMs;
  const message = redactSecrets(detail?.message ?? `Deployment ${deployment.name} answered HTTP ${response.statusCode}.`);
  throw new ArbiterError(detail?.code ?? errorCodeForStatus(status), message, {
    status,
    retryAfterMs,
    ...(detail?.retryable !== undefined ? { retryable: detail.retryable } : {}),
    param: detail?.param ?? null,
    upstream: { provider: deployment.provider, deployment: deployment.name, status: response.statusCode, body: redactSecrets(text.slice(0, 2000)), retryAfterMs },
  });
}

function readText(response: UpstreamResponse, deployment: Deployment, callerSignal: CancelSignal | undefined): Promise<string> {
  return response.body.text().catch((error: unknown) => {
    throw transportError(error, deployment, callerSignal);
  });
}

function parseBody(text: string, deployment: Deployment): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ArbiterError('upstream_error', `Deployment ${deployment.name} returned a body that is not valid JSON.`, { retryable: true, upstream: { provider: deployment.provider, deployment: deployment.name, body: redactSecrets(text.slice(0, 500)) } });
  }
}

/** Reads a whole JSON body, mapping a malformed one to a retryable upstream error. */
export async function readJson(response: UpstreamResponse, deployment: Deployment, callerSignal?: CancelSignal): Promise<unknown> {
  return parseBody(await readText(response, deployment, callerSignal), deployment);
}

/** The same, with the text the body was parsed from (for a response that may be forwarded as it came). */
export async function readJsonWithText(response: UpstreamResponse, deployment: Deployment, callerSignal?: CancelSignal): Promise<{ value: unknown; text: string }> {
  const text = await readText(response, deployment, callerSignal);
  return { value: parseBody(text, deployment), text };
}

export { transportError };

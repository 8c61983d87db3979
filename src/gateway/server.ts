/**
 * The HTTP server: plain node:http (measured faster than framework adapters for a proxy) with
 * a Hono-shaped middleware chain and a static route table. Every failure leaves as an OpenAI
 * error body; nothing a client sends can crash the process.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { ArbiterError } from '../core/errors.js';
import { RequestAbort } from '../core/cancel-signal.js';
import { compose } from './compose.js';
import type { Entrance, GatewayContext, GatewayVariables, Handler, Middleware } from './context.js';
import { errorBody, sendError, toArbiterError, type ErrorFormat } from './error-response.js';
import { pickRequestId } from './middleware/request-id.js';
import type { CorsPolicy } from './cors.js';

/** A route that is an entrance: its name goes on the audit row, its errors leave in its own shape. */
export interface RouteEntry {
  handler: Handler;
  entrance?: Entrance;
  errorFormat?: ErrorFormat;
}

export interface RouteTable {
  [methodAndPath: string]: Handler | RouteEntry;
}

interface Chain {
  run: Handler;
  entrance?: Entrance;
  errorFormat?: ErrorFormat;
}

export interface GatewayAppOptions {
  routes: RouteTable;
  middleware: Middleware[];
  logger: Logger;
  /** Called once per request after the response is done (metrics). */
  onResponse?: (ctx: GatewayContext, status: number) => void;
  cors?: CorsPolicy;
  /**
   * Handlers for every path under a prefix (the dashboard, the admin API), tried when no
   * route matches. They run without `middleware`: each guards itself.
   */
  prefixRoutes?: ReadonlyArray<{ prefix: string; handler: Handler }>;
}

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Per-request state. A class, not an object literal: the literal this was, with a lazy
 * `query` getter, made V8 allocate every context in the old generation, and from there it
 * kept each request's objects alive through young-generation collections. At 500 req/s each
 * scavenge then copied ~3 MB and paused 7-28 ms (a bare proxy: ~1 ms), and the old
 * generation filled with garbage between full collections.
 */
class RequestContext implements GatewayContext {
  readonly startedAt = Date.now();
  /** Every answer, error or not, echoes the request id. */
  readonly responseHeaders: Record<string, string>;
  readonly vars: Partial<GatewayVariables> = {};
  private parsedQuery: URLSearchParams | undefined;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly requestId: string,
    readonly method: string,
    readonly path: string,
    private readonly rawQuery: string,
    readonly signal: RequestAbort,
  ) {
    this.responseHeaders = { 'x-request-id': requestId };
  }

  /** Parsed on first read: no chat request has a query string. */
  get query(): URLSearchParams {
    this.parsedQuery ??= new URLSearchParams(this.rawQuery);
    return this.parsedQuery;
  }
}

export function createGatewayListener(options: GatewayAppOptions): RequestListener {
  // By method, then path: a key joined per request would be a new string to hash and compare.
  const chains = new Map<string, Map<string, Chain>>();
  // A path's error shape, for the 405 of a method it does not take too.
  const errorFormats = new Map<string, ErrorFormat>();
  for (const [key, route] of Object.entries(options.routes)) {
    const space = key.indexOf(' ');
    const routeMethod = key.slice(0, space);
    const routePath = key.slice(space + 1);
    let byPath = chains.get(routeMethod);
    if (!byPath) chains.set(routeMethod, byPath = new Map());
    const entry: RouteEntry = typeof route === 'function' ? { handler: route } : route;
    byPath.set(routePath, { run: compose(options.middleware, entry.handler), entrance: entry.entrance, errorFormat: entry.errorFormat });
    if (entry.errorFormat) errorFormats.set(routePath, entry.errorFormat);
  }
  const notFound: Chain = {
    run: async (ctx) => {
      throw new ArbiterError('not_found', `Unknown endpoint ${ctx.method} ${ctx.path}.`);
    },
  };
  const allowedPaths = new Set([...chains.values()].flatMap((byPath) => [...byPath.keys()]));

  return function handleRequest(req, res) {
    const url = req.url ?? '/';
    const queryIndex = url.indexOf('?');
    const path = queryIndex === -1 ? url : url.slice(0, queryIndex);
    const method = req.method ?? 'GET';
    const abort = new RequestAbort();
    const ctx = new RequestContext(req, res, pickRequestId(req.headers['x-request-id']), method, path, queryIndex === -1 ? '' : url.slice(queryIndex + 1), abort);
    res.on('close', () => {
      if (!res.writableFinished) abort.abort(new ArbiterError('client_closed', 'The client closed the connection.'));
      options.onResponse?.(ctx, res.statusCode);
    });
    const cors = options.cors;
    const origin = cors ? req.headers.origin : undefined;
    if (cors && origin !== undefined) {
      const corsHeaders = cors.responseHeaders(origin);
      if (corsHeaders) {
        Object.assign(ctx.responseHeaders, corsHeaders);
        if (method === 'OPTIONS' && allowedPaths.has(path)) {
          res.writeHead(204, { ...ctx.responseHeaders, ...cors.preflightHeaders(req.headers) });
          res.end();
          return;
        }
      }
    }
    // HEAD is GET without a body (probes and load balancers send it); node drops the body.
    let chain = chains.get(method === 'HEAD' ? 'GET' : method)?.get(path);
    if (!chain && allowedPaths.has(path)) {
      chain = {
        run: async () => {
          throw new ArbiterError('invalid_request', `Method ${method} is not allowed on ${path}.`, { status: 405 });
        },
        errorFormat: errorFormats.get(path),
      };
    }
    if (!chain && options.prefixRoutes) chain = prefixRoute(options.prefixRoutes, path);
    const route = chain ?? notFound;
    if (route.entrance) ctx.vars.entrance = route.entrance;
    route.run(ctx).catch((error: unknown) => {
      const arbiterError = toArbiterError(error, ctx.requestId);
      if (arbiterError.code === 'internal_error') options.logger.error({ err: error, requestId: ctx.requestId }, 'unhandled error');
      if (abort.aborted) {
        res.destroy();
        return;
      }
      sendError(res, arbiterError, ctx.responseHeaders, route.errorFormat);
    });
  };
}

/** `/ui` matches `/ui` and `/ui/...`, never `/uix`; `/admin/api/` matches what starts with it. */
function prefixRoute(routes: NonNullable<GatewayAppOptions['prefixRoutes']>, path: string): Chain | undefined {
  for (const route of routes) {
    const prefix = route.prefix;
    if (prefix.endsWith('/') ? path.startsWith(prefix) : path === prefix || path.startsWith(`${prefix}/`)) return { run: route.handler };
  }
  return undefined;
}

export interface ListeningServer {
  server: Server;
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * A request node's parser refuses (headers or URL past its 16 KB limit, a malformed request
 * line) never reaches a handler; node's own answer is a bare status line, which OpenAI
 * clients cannot parse. It gets the same error body as every other refusal.
 * https://nodejs.org/api/http.html#event-clienterror
 */
function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  // As node's own handler: nothing to answer on a reset socket or one whose response has begun.
  if (error.code === 'ECONNRESET' || !socket.writable || (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const refusal = new ArbiterError('invalid_request', tooLarge ? 'The request line and headers exceed 16 KB.' : 'The request is not valid HTTP.', { status: tooLarge ? 431 : 400 });
  const body = JSON.stringify(errorBody(refusal));
  const reason = tooLarge ? 'Request Header Fields Too Large' : 'Bad Request';
  socket.end(`HTTP/1.1 ${refusal.status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}

export async function listen(listener: RequestListener, host: string, port: number): Promise<ListeningServer> {
  const server = createServer({ keepAlive: true, requestTimeout: 0 }, listener);
  server.on('clientError', answerClientError);
  // Clients (and the official SDKs) reuse connections; keep them longer than typical client pools.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    port: address.port,
    url: `http://${shownHost}:${address.port}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    }),
  };
}

/**
 * The request log: GET /admin/api/logs (filters, keyset pages), /admin/api/logs/detail?id=
 * (one request with its attempts and route decision) and /admin/api/logs/stream (new rows as
 * the audit writer commits them, as server-sent events: following costs no query).
 */
import { ArbiterError } from '../../core/errors.js';
import type { AuditLogTable } from '../../store/tables/controls.js';
import { LOG_LIST_COLUMNS, logEntry, logPage, matchesLogFilter, type LogFilter, type LogListRow, type StatusClass } from '../../store/audit-log-pages.js';
import type { GatewayContext, Handler } from '../context.js';
import { sendJson } from '../send-json.js';
import type { AdminDeps } from './admin-deps.js';
import { DAY_MS, boolParam, cursorParam, encodeCursor, intParam, rangeParams, requiredText, textParam } from './admin-params.js';

export const MAX_LOG_PAGE = 200;
export const MAX_LOG_RANGE_MS = 31 * DAY_MS;
const STATUS_CLASSES: readonly StatusClass[] = ['2xx', '4xx', '5xx', 'error'];

function statusParam(query: URLSearchParams): LogFilter['status'] {
  const raw = query.get('status');
  if (raw === null || raw === '') return undefined;
  if ((STATUS_CLASSES as readonly string[]).includes(raw)) return raw as StatusClass;
  if (/^[1-5]\d\d$/.test(raw)) return Number(raw);
  throw new ArbiterError('invalid_request', `'status' must be an HTTP status or one of ${STATUS_CLASSES.join(', ')}, got '${raw.slice(0, 40)}'.`, { param: 'status' });
}

function filterParams(ctx: GatewayContext, now: number): LogFilter {
  const query = ctx.query;
  const filter: LogFilter = { ...rangeParams(query, { now, defaultMs: 7 * DAY_MS, maxMs: MAX_LOG_RANGE_MS }) };
  const key = textParam(query, 'key');
  const route = textParam(query, 'route');
  const model = textParam(query, 'model');
  const deployment = textParam(query, 'deployment');
  const status = statusParam(query);
  const cacheHit = boolParam(query, 'cache', { yes: 'hit', no: 'miss' });
  const requestId = textParam(query, 'q');
  if (key !== undefined) filter.key = key;
  if (route !== undefined) filter.route = route;
  if (model !== undefined) filter.model = model;
  if (deployment !== undefined) filter.deployment = deployment;
  if (status !== undefined) filter.status = status;
  if (cacheHit !== undefined) filter.cacheHit = cacheHit;
  if (requestId !== undefined) filter.requestId = requestId;
  return filter;
}

export function logsHandler(deps: AdminDeps): Handler {
  return async function logs(ctx) {
    const now = (deps.now ?? Date.now)();
    const filter = filterParams(ctx, now);
    const limit = intParam(ctx.query, 'limit', { min: 1, max: MAX_LOG_PAGE, fallback: 50 });
    const before = cursorParam(ctx.query, 'cursor');
    const page = await logPage(deps.store, filter, limit, before);
    sendJson(ctx, 200, { rows: page.rows, next: page.next ? encodeCursor(page.next) : null });
  };
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function logDetailHandler(deps: AdminDeps): Handler {
  return async function logDetail(ctx) {
    const id = requiredText(ctx.query, 'id');
    const row = await logEntry(deps.store, id);
    if (!row) throw new ArbiterError('not_found', `No request '${id}' in the audit log.`, { param: 'id' });
    const { attempts_json, blocked_tools_json, prompt_body, response_body, route_excluded_json, ...rest } = row;
    // Bodies were redacted when written (controls/redact.ts); they are shown as stored.
    sendJson(ctx, 200, {
      ...rest,
      attempts: parseJson(attempts_json) ?? [],
      excluded: parseJson(route_excluded_json ?? null) ?? [],
      blocked_tools: parseJson(blocked_tools_json) ?? [],
      prompt_body: parseJson(prompt_body),
      response_body: parseJson(response_body),
    });
  };
}

function listRow(row: AuditLogTable): LogListRow {
  const out: Record<string, unknown> = {};
  for (const column of LOG_LIST_COLUMNS) out[column] = row[column];
  return out as LogListRow;
}

/** At most this many followers at once: each holds a connection open. */
const MAX_FOLLOWERS = 64;

export function logStreamHandler(deps: AdminDeps): Handler {
  return async function logStream(ctx) {
    const feed = deps.feed;
    if (!feed) throw new ArbiterError('not_found', 'This gateway has no live audit feed.');
    if (feed.size >= MAX_FOLLOWERS) throw new ArbiterError('rate_limit_exceeded', `At most ${MAX_FOLLOWERS} log followers at once.`);
    const { from: _from, to: _to, ...filter } = filterParams(ctx, (deps.now ?? Date.now)());
    const res = ctx.res;
    res.writeHead(200, { ...ctx.responseHeaders, 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(': following\n\n');
    const unsubscribe = feed.subscribe((rows) => {
      const matching = rows.filter((row) => matchesLogFilter(row, filter)).map(listRow);
      if (matching.length > 0) res.write(`data: ${JSON.stringify(matching)}\n\n`);
    }, () => res.end());
    // Proxies drop idle connections; a comment every 15 s keeps it open.
    const heartbeat = setInterval(() => res.write(': ping\n\n'), 15_000);
    heartbeat.unref();
    await new Promise<void>((resolve) => {
      res.once('close', () => {
        clearInterval(heartbeat);
        unsubscribe();
        resolve();
      });
    });
  };
}

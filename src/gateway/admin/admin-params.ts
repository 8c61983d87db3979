/**
 * Query parameters of the admin API, parsed at the edge: anything malformed or out of bounds
 * is a 400 in OpenAI's error shape naming the parameter, and every range and page size has a
 * cap, so no request can ask for an unbounded query.
 */
import { ArbiterError } from '../../core/errors.js';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

function bad(param: string, message: string): ArbiterError {
  return new ArbiterError('invalid_request', message, { param });
}

/** Epoch ms or an ISO-8601 date. */
export function timeParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  const value = /^\d{1,15}$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isFinite(value)) throw bad(name, `'${name}' must be epoch milliseconds or an ISO-8601 date, got '${raw.slice(0, 40)}'.`);
  return value;
}

export interface TimeRange { from: number; to: number }

export function rangeParams(query: URLSearchParams, options: { now: number; defaultMs: number; maxMs: number }): TimeRange {
  const to = timeParam(query, 'to') ?? options.now;
  const from = timeParam(query, 'from') ?? to - options.defaultMs;
  if (from >= to) throw bad('from', `'from' must be before 'to'.`);
  if (to - from > options.maxMs) throw bad('from', `The range may span at most ${Math.round(options.maxMs / DAY_MS)} days.`);
  return { from, to };
}

export function intParam(query: URLSearchParams, name: string, options: { min: number; max: number; fallback: number }): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return options.fallback;
  if (!/^-?\d+$/.test(raw)) throw bad(name, `'${name}' must be an integer, got '${raw.slice(0, 40)}'.`);
  const value = Number(raw);
  if (value < options.min || value > options.max) throw bad(name, `'${name}' must be between ${options.min} and ${options.max}.`);
  return value;
}

export function enumParam<T extends string>(query: URLSearchParams, name: string, values: readonly T[], fallback: T): T {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  if (!(values as readonly string[]).includes(raw)) throw bad(name, `'${name}' must be one of ${values.join(', ')}, got '${raw.slice(0, 40)}'.`);
  return raw as T;
}

/** A free-form identifier (key, route, model, run id), bounded in length. */
export function textParam(query: URLSearchParams, name: string, options: { required?: boolean } = {}): string | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') {
    if (options.required) throw bad(name, `'${name}' is required.`);
    return undefined;
  }
  if (raw.length > 200) throw bad(name, `'${name}' is longer than 200 characters.`);
  return raw;
}

export function requiredText(query: URLSearchParams, name: string): string {
  return textParam(query, name, { required: true }) as string;
}

export function boolParam(query: URLSearchParams, name: string, names: { yes: string; no: string }): boolean | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  if (raw === names.yes) return true;
  if (raw === names.no) return false;
  throw bad(name, `'${name}' must be ${names.yes} or ${names.no}, got '${raw.slice(0, 40)}'.`);
}

/** Opaque keyset cursor: base64url of [createdAt, requestId]. */
export function encodeCursor(cursor: { createdAt: number; requestId: string }): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.requestId])).toString('base64url');
}

export function cursorParam(query: URLSearchParams, name: string): { createdAt: number; requestId: string } | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && Number.isFinite(parsed[0]) && typeof parsed[1] === 'string') {
      return { createdAt: parsed[0] as number, requestId: parsed[1] };
    }
  } catch {
    // Falls through to the 400.
  }
  throw bad(name, `'${name}' is not a cursor this API returned.`);
}

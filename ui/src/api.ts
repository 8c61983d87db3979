/** The admin API client: same origin, the master key from sessionStorage (never the URL). */
const KEY_STORAGE = 'arbiter.masterKey';

export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly param: string | null) {
    super(message);
  }
}

export function storedKey(): string | null {
  return sessionStorage.getItem(KEY_STORAGE);
}

export function storeKey(key: string | null): void {
  if (key === null) sessionStorage.removeItem(KEY_STORAGE);
  else sessionStorage.setItem(KEY_STORAGE, key);
}

function headers(extra: Record<string, string> = {}): Record<string, string> {
  const key = storedKey();
  return key ? { ...extra, authorization: `Bearer ${key}` } : extra;
}

export type Query = Record<string, string | number | undefined | null>;

export function queryString(query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

async function parse<T>(response: Response): Promise<T> {
  const body = await response.json().catch(() => null) as { error?: { message?: string; param?: string | null } } | null;
  if (!response.ok) throw new ApiError(response.status, body?.error?.message ?? `HTTP ${response.status}`, body?.error?.param ?? null);
  return body as T;
}

export async function get<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
  return parse<T>(await fetch(`/admin/api/${path}${queryString(query)}`, { headers: headers(), signal }));
}

export async function post<T>(path: string, body: unknown): Promise<T> {
  return parse<T>(await fetch(`/admin/api/${path}`, { method: 'POST', headers: headers({ 'content-type': 'application/json' }), body: JSON.stringify(body) }));
}

/**
 * Follows server-sent events through fetch, not EventSource, which cannot send the
 * Authorization header (and the key must not go in the URL).
 */
export async function follow<T>(path: string, query: Query, onData: (data: T) => void, signal: AbortSignal): Promise<void> {
  const response = await fetch(`/admin/api/${path}${queryString(query)}`, { headers: headers({ accept: 'text/event-stream' }), signal });
  if (!response.ok || !response.body) throw new ApiError(response.status, `follow failed: HTTP ${response.status}`, null);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = event.split('\n').filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trimStart()).join('\n');
      if (data) onData(JSON.parse(data) as T);
    }
  }
}

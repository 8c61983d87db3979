/** The request log: filters in the URL, keyset pages, and a live follow that only receives new rows. */
import { useEffect, useState } from 'preact/hooks';
import { follow, get } from '../api';
import { ms, num, time, usd } from '../format';
import { RangePicker, Select, rangeQuery } from '../range-picker';
import { ErrorNote, useFetch } from '../use-fetch';
import { navigate, setParams } from '../url-state';
import type { Meta } from '../app';

export interface LogRow {
  request_id: string; created_at: number; key_name: string | null; route: string | null; deployment: string | null; model: string | null;
  status: number; error_code: string | null; retries: number; fallbacks: number; prompt_tokens: number; completion_tokens: number;
  cost_nano: number | null; latency_ms: number; ttft_ms: number | null; cache_hit: number; streamed: number; entrance?: string | null;
}

const FILTERS = ['key', 'route', 'model', 'deployment', 'status', 'cache', 'q'] as const;

export function LogsView(props: { params: URLSearchParams; meta: Meta }) {
  const { params, meta } = props;
  const filters = Object.fromEntries(FILTERS.map((name) => [name, params.get(name) ?? undefined]));
  const query = { ...rangeQuery(params, '7d'), ...filters, limit: 50, cursor: params.get('cursor') ?? undefined };
  const page = useFetch((signal) => get<{ rows: LogRow[]; next: string | null }>('logs', query, signal), JSON.stringify(query));
  const [live, setLive] = useState<LogRow[]>([]);
  const following = params.get('follow') === '1';
  const [search, setSearch] = useState(filters.q ?? '');

  useEffect(() => {
    setLive([]);
    if (!following) return;
    const controller = new AbortController();
    follow<LogRow[]>('logs/stream', filters, (rows) => setLive((previous) => [...rows.reverse(), ...previous].slice(0, 500)), controller.signal).catch(() => undefined);
    return () => controller.abort();
  }, [following, JSON.stringify(filters)]);

  const rows = [...live, ...(page.data?.rows ?? [])];
  return (
    <section>
      <h2>Requests</h2>
      <div class="toolbar">
        <RangePicker params={params} fallback="7d" />
        <Select label="key" name="key" testId="filter-key" value={filters.key ?? ''} options={meta.keys.map((key) => key.name)} onChange={(value) => setParams({ key: value, cursor: undefined })} />
        <Select label="route" name="route" testId="filter-route" value={filters.route ?? ''} options={meta.routes} onChange={(value) => setParams({ route: value, cursor: undefined })} />
        <Select label="model" name="model" testId="filter-model" value={filters.model ?? ''} options={meta.models} onChange={(value) => setParams({ model: value, cursor: undefined })} />
        <Select label="deployment" name="deployment" testId="filter-deployment" value={filters.deployment ?? ''} options={meta.deployments} onChange={(value) => setParams({ deployment: value, cursor: undefined })} />
        <Select label="status" name="status" testId="filter-status" value={filters.status ?? ''} options={['2xx', '4xx', '5xx', 'error', '200', '429', '502']} onChange={(value) => setParams({ status: value, cursor: undefined })} />
        <Select label="cache" name="cache" value={filters.cache ?? ''} options={['hit', 'miss']} onChange={(value) => setParams({ cache: value, cursor: undefined })} />
        <form onSubmit={(event) => { event.preventDefault(); setParams({ q: search || undefined, cursor: undefined }); }}>
          <input data-testid="filter-q" placeholder="request id" value={search} onInput={(event) => setSearch((event.currentTarget as HTMLInputElement).value)} />
        </form>
        <label class="field"><input type="checkbox" data-testid="follow" checked={following} onChange={() => setParams({ follow: following ? undefined : '1' }, { replace: true })} /> follow</label>
      </div>
      <ErrorNote error={page.error} />
      <table data-testid="log-table" class="log">
        <thead><tr><th>time</th><th>request</th><th>entrance</th><th>key</th><th>route</th><th>deployment</th><th>status</th><th>tokens</th><th>cost</th><th>latency</th><th>TTFT</th><th></th></tr></thead>
        <tbody>{rows.map((row) => (
          <tr key={row.request_id} data-request-id={row.request_id} class={row.status >= 400 ? 'bad' : ''} onClick={() => navigate('request', { id: row.request_id })}>
            <td>{time(row.created_at)}</td><td class="mono">{row.request_id}</td><td>{row.entrance ?? '—'}</td><td>{row.key_name ?? '—'}</td><td>{row.route ?? '—'}</td>
            <td>{row.deployment ?? '—'}{row.fallbacks > 0 ? ` (↪${row.fallbacks})` : ''}</td><td>{row.status}{row.error_code ? ` ${row.error_code}` : ''}</td>
            <td>{num(row.prompt_tokens)}/{num(row.completion_tokens)}</td><td>{usd(row.cost_nano)}</td><td>{ms(row.latency_ms)}</td><td>{ms(row.ttft_ms)}</td>
            <td>{row.cache_hit ? 'cache' : ''}{row.streamed ? ' stream' : ''}</td>
          </tr>
        ))}</tbody>
      </table>
      {page.data?.rows.length === 0 && live.length === 0 && <p class="muted">No requests match.</p>}
      <div class="pager">
        {params.get('cursor') && <button onClick={() => setParams({ cursor: undefined })}>newest</button>}
        {page.data?.next && <button data-testid="next-page" onClick={() => setParams({ cursor: page.data?.next ?? undefined })}>older →</button>}
      </div>
    </section>
  );
}

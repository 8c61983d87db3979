/** One request: tokens, cost, timings, the route decision, the waterfall of upstream attempts, the stored bodies. */
import { get } from '../api';
import { ms, num, time, usd } from '../format';
import { ErrorNote, useFetch } from '../use-fetch';
import { navigate } from '../url-state';

interface Attempt { deployment: string; ok: boolean; errorCode?: string; status?: number; latencyMs: number; startMs?: number }
interface Detail {
  request_id: string; created_at: number; key_name: string | null; route: string | null; deployment: string | null; model: string | null; reason: string | null;
  status: number; error_code: string | null; retries: number; fallbacks: number; prompt_tokens: number; completion_tokens: number; cached_tokens: number;
  reasoning_tokens: number; cost_nano: number | null; latency_ms: number; ttft_ms: number | null; cache_hit: number; streamed: number;
  attempts: Attempt[]; excluded: Array<{ modelId: string; reasons: string[] }>; blocked_tools: string[]; prompt_body: unknown; response_body: unknown; entrance?: string | null;
}


export function RequestView(props: { params: URLSearchParams }) {
  const id = props.params.get('id') ?? '';
  const detail = useFetch((signal) => get<Detail>('logs/detail', { id }, signal), id);
  const row = detail.data;
  return (
    <section>
      <p><a href="/ui/logs" onClick={(event) => { event.preventDefault(); history.length > 1 ? history.back() : navigate('logs'); }}>← requests</a></p>
      <h2>Request <span class="mono">{id}</span></h2>
      <ErrorNote error={detail.error} />
      {row && (
        <>
          <div class="cards" data-testid="request-figures">
            <div><b>{row.status}</b>{row.error_code ?? 'status'}</div>
            <div><b>{num(row.prompt_tokens)} / {num(row.completion_tokens)}</b>tokens in/out{row.cached_tokens ? `, ${row.cached_tokens} cached` : ''}{row.reasoning_tokens ? `, ${row.reasoning_tokens} reasoning` : ''}</div>
            <div><b>{usd(row.cost_nano)}</b>cost</div>
            <div><b>{ms(row.latency_ms)}</b>latency</div>
            <div><b>{ms(row.ttft_ms)}</b>TTFT</div>
          </div>
          <dl class="facts">
            <dt>time</dt><dd>{time(row.created_at)}</dd>
            <dt>key</dt><dd>{row.key_name ?? '—'}</dd>
            <dt>route</dt><dd>{row.route ?? '—'}</dd>
            <dt>model</dt><dd>{row.model ?? '—'}</dd>
            <dt>served by</dt><dd>{row.deployment ?? '—'}</dd>
            {row.entrance !== undefined && <><dt>entrance</dt><dd>{row.entrance ?? '—'}</dd></>}
            <dt>retries / fallbacks</dt><dd>{row.retries} / {row.fallbacks}</dd>
            <dt>cache</dt><dd>{row.cache_hit ? 'hit' : 'miss'}{row.streamed ? ', streamed' : ''}</dd>
            {row.blocked_tools.length > 0 && <><dt>blocked tools</dt><dd>{row.blocked_tools.join(', ')}</dd></>}
          </dl>
          <h3>Route decision</h3>
          <p data-testid="route-reason" class="mono">{row.reason ?? '—'}</p>
          {row.excluded.length > 0 && <>
            <h4>Candidates excluded</h4>
            <ul data-testid="excluded">{row.excluded.map((entry) => <li key={entry.modelId}><b>{entry.modelId}</b>: {entry.reasons.join('; ')}</li>)}</ul>
          </>}
          <h3>Upstream attempts</h3>
          <Waterfall attempts={row.attempts} total={row.latency_ms} />
          <h3>Bodies</h3>
          {row.prompt_body === null && row.response_body === null
            ? <p class="muted">This route does not store bodies.</p>
            : <>
                <h4>prompt (redacted)</h4><pre data-testid="prompt-body">{JSON.stringify(row.prompt_body, null, 2)}</pre>
                <h4>response (redacted)</h4><pre data-testid="response-body">{JSON.stringify(row.response_body, null, 2)}</pre>
              </>}
        </>
      )}
    </section>
  );
}

function Waterfall(props: { attempts: Attempt[]; total: number }) {
  if (props.attempts.length === 0) return <p class="muted">No upstream call (refused, or answered from the cache).</p>;
  // Attempts without a start (older rows) are laid end to end.
  let cursor = 0;
  const bars = props.attempts.map((attempt) => {
    const start = attempt.startMs ?? cursor;
    cursor = start + attempt.latencyMs;
    return { ...attempt, start };
  });
  const span = Math.max(props.total, cursor, 1);
  return (
    <div class="waterfall" data-testid="waterfall">
      {bars.map((bar, index) => (
        <div class="step" key={index} data-ok={bar.ok ? 'yes' : 'no'}>
          <span class="label">{index + 1}. {bar.deployment} {bar.ok ? 'ok' : `${bar.status ?? ''} ${bar.errorCode ?? 'failed'}`}</span>
          <span class="track"><span class={bar.ok ? 'ok' : 'fail'} style={{ left: `${(bar.start / span) * 100}%`, width: `${Math.max(0.5, (bar.latencyMs / span) * 100)}%` }} /></span>
          <span class="when">+{ms(bar.start)} · {ms(bar.latencyMs)}</span>
        </div>
      ))}
    </div>
  );
}

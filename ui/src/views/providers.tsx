/** Providers and routing: per deployment latency, errors, breaker and share; which deployment each route chose over time. */
import { get } from '../api';
import { TimeChart } from '../chart';
import { ms, num, pct, usd } from '../format';
import { RangePicker, rangeQuery } from '../range-picker';
import { ErrorNote, useFetch } from '../use-fetch';

interface Deployment {
  name: string; model: string | null; provider: string | null; vendor: string | null; jurisdiction: string | null; region: string | null; simulated: boolean | null;
  breaker: string | null; recentErrorRate: number | null; requests: number; share: number; errorRate: number | null; rateLimited: number;
  retries: number; fallbacksInto: number; costNano: number; p50Ms: number | null; p95Ms: number | null; meanTtftMs: number | null;
  /** Filled by `arbiter identify` when it stores results for the deployment. */
  identification: unknown;
}
interface Providers { deployments: Deployment[]; routing: { times: number[]; routes: Array<{ route: string; fallbacks: number[]; deployments: Array<{ name: string; counts: number[] }> }> } }

function identificationText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && 'verdict' in value) return String((value as { verdict: unknown }).verdict);
  return JSON.stringify(value);
}

export function ProvidersView(props: { params: URLSearchParams }) {
  const query = rangeQuery(props.params);
  const data = useFetch((signal) => get<Providers>('providers', query, signal), JSON.stringify(query));
  return (
    <section>
      <h2>Providers and routing</h2>
      <div class="toolbar"><RangePicker params={props.params} /></div>
      <ErrorNote error={data.error} />
      {data.data && <>
        <table data-testid="providers-table">
          <thead><tr><th>deployment</th><th>model</th><th>vendor</th><th>jurisdiction</th><th>region</th><th>breaker</th><th>requests</th><th>share</th><th>error rate</th><th>429s</th><th>p50</th><th>p95</th><th>TTFT</th><th>cost</th><th>identified as</th></tr></thead>
          <tbody>{data.data.deployments.map((d) => (
            <tr key={d.name} data-deployment={d.name}>
              <td>{d.name}{d.simulated ? <span class="tag">sim</span> : null}</td><td>{d.model ?? '—'}</td><td>{d.vendor ?? '—'}</td><td>{d.jurisdiction ?? '—'}</td><td>{d.region ?? '—'}</td>
              <td class={`breaker ${d.breaker ?? ''}`}>{d.breaker ?? '—'}</td><td>{num(d.requests)}</td><td>{pct(d.share)}</td><td>{pct(d.errorRate)}</td><td>{d.rateLimited}</td>
              <td>{ms(d.p50Ms)}</td><td>{ms(d.p95Ms)}</td><td>{ms(d.meanTtftMs)}</td><td>{usd(d.costNano)}</td><td>{identificationText(d.identification)}</td>
            </tr>
          ))}</tbody>
        </table>
        <h3>Routing decisions over time</h3>
        {data.data.routing.routes.length === 0 && <p class="muted">No routes are configured.</p>}
        {data.data.routing.routes.map((route) => (
          <div key={route.route} data-testid={`routing-${route.route}`}>
            <h4>{route.route}</h4>
            <TimeChart height={160} times={data.data!.routing.times} series={[
              ...route.deployments.map((d) => ({ label: d.name, values: d.counts })),
              { label: 'fallbacks', values: route.fallbacks, dash: true },
            ]} />
          </div>
        ))}
      </>}
    </section>
  );
}

/** Spend and usage over time by key, route, model, deployment, vendor or jurisdiction, with budget burn-down. */
import { get } from '../api';
import { TimeChart } from '../chart';
import { num, usd } from '../format';
import { RangePicker, Select, rangeQuery } from '../range-picker';
import { ErrorNote, useFetch } from '../use-fetch';
import { setParams } from '../url-state';
import type { Meta } from '../app';

interface Group { name: string; costNano: number[]; tokens: number[]; requests: number[]; totalCostNano: number; totalTokens: number; totalRequests: number }
interface SpendAnswer { times: number[]; groups: Group[]; totals: { costNano: number; tokens: number; requests: number; errors: number } }
interface Budget { owner: string; id: string; label: string; kind: 'usd' | 'tokens'; describe: string; limit: number; used: number; periodStart: number; periodEnd: number; burn: Array<{ t: number; used: number }> }

const METRICS = { cost: 'costNano', tokens: 'tokens', requests: 'requests' } as const;

export function SpendView(props: { params: URLSearchParams; meta: Meta }) {
  const { params, meta } = props;
  const by = params.get('by') ?? 'model';
  const metric = (params.get('metric') ?? 'cost') as keyof typeof METRICS;
  const filters = { key: params.get('key') ?? undefined, route: params.get('route') ?? undefined, model: params.get('model') ?? undefined };
  const query = { ...rangeQuery(params), by, ...filters };
  const spend = useFetch((signal) => get<SpendAnswer>('spend', query, signal), JSON.stringify(query));
  const budgets = useFetch((signal) => get<{ budgets: Budget[] }>('budgets', {}, signal), 'budgets');
  const field = METRICS[metric] ?? 'costNano';
  const series = spend.data?.groups.map((group) => ({ label: group.name, values: group[field] })) ?? [];
  return (
    <section>
      <h2>Spend and usage</h2>
      <div class="toolbar">
        <RangePicker params={params} />
        <Select label="group by" name="by" testId="spend-by" value={by} options={['key', 'route', 'model', 'deployment', 'vendor', 'jurisdiction']} onChange={(value) => setParams({ by: value })} />
        <Select label="metric" name="metric" value={metric} options={Object.keys(METRICS)} onChange={(value) => setParams({ metric: value })} />
        <Select label="key" name="key" value={filters.key ?? ''} options={meta.keys.map((key) => key.id)} onChange={(value) => setParams({ key: value })} />
        <Select label="route" name="route" value={filters.route ?? ''} options={meta.routes} onChange={(value) => setParams({ route: value })} />
        <Select label="model" name="model" value={filters.model ?? ''} options={meta.models} onChange={(value) => setParams({ model: value })} />
      </div>
      <ErrorNote error={spend.error} />
      {spend.data && (
        <>
          <div class="cards" data-testid="spend-totals">
            <div><b>{usd(spend.data.totals.costNano)}</b>cost</div>
            <div><b>{num(spend.data.totals.tokens)}</b>tokens</div>
            <div><b>{num(spend.data.totals.requests)}</b>requests</div>
            <div><b>{num(spend.data.totals.errors)}</b>5xx</div>
          </div>
          <TimeChart testId="spend-chart" times={spend.data.times} series={series} format={metric === 'cost' ? (v) => usd(v) : num} />
          <table data-testid="spend-table">
            <thead><tr><th>{by}</th><th>cost</th><th>tokens</th><th>requests</th></tr></thead>
            <tbody>{spend.data.groups.map((group) => (
              <tr key={group.name}><td>{group.name}</td><td>{usd(group.totalCostNano)}</td><td>{num(group.totalTokens)}</td><td>{num(group.totalRequests)}</td></tr>
            ))}</tbody>
          </table>
        </>
      )}
      <h3>Budgets this period</h3>
      <ErrorNote error={budgets.error} />
      {budgets.data?.budgets.length === 0 && <p class="muted">No key or route has a budget.</p>}
      <div class="budgets" data-testid="budgets">
        {budgets.data?.budgets.map((budget) => <BudgetBurn key={`${budget.owner}:${budget.id}:${budget.describe}`} budget={budget} />)}
      </div>
    </section>
  );
}

function BudgetBurn(props: { budget: Budget }) {
  const { budget } = props;
  const share = budget.limit > 0 ? Math.min(1, budget.used / budget.limit) : 1;
  const format = budget.kind === 'usd' ? (v: number) => usd(v) : num;
  // Burn-down: what is left of the limit hour by hour through the period so far.
  const times = budget.burn.length > 0 ? [budget.periodStart, ...budget.burn.map((point) => point.t + 3_600_000)] : [budget.periodStart, Date.now()];
  const left = budget.burn.length > 0 ? [budget.limit, ...budget.burn.map((point) => budget.limit - point.used)] : [budget.limit, budget.limit - budget.used];
  return (
    <div class="budget">
      <div><b>{budget.label}</b> {budget.describe}: {format(budget.used)} used ({Math.round(share * 100)}%)</div>
      <div class="bar"><span style={{ width: `${share * 100}%`, background: share > 0.8 ? '#dc2626' : '#2563eb' }} /></div>
      <TimeChart height={120} times={times} series={[{ label: 'left', values: left }, { label: 'limit', values: times.map(() => budget.limit), dash: true }]} format={format} />
    </div>
  );
}

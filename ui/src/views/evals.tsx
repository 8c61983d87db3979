/** Evals: runs, a run's leaderboard with the cost-per-success vs pass-rate chart, two runs compared, a suite's trend. */
import { get } from '../api';
import { TimeChart } from '../chart';
import { ms, pct, time, usd } from '../format';
import { Select } from '../range-picker';
import { ErrorNote, useFetch } from '../use-fetch';
import { setParams } from '../url-state';

interface Run { id: string; startedAt: number; finishedAt: number | null; status: string; simulated: boolean }
interface Metrics {
  model: string; suite: string; passes: number; total: number; passRate: number; passRateLower: number; passRateUpper: number;
  totalCostNano: number; costPerSuccess: { valueNano: number; lowerNano: number; upperNano: number | null } | null;
  latencyP50Ms: number | null; latencyP95Ms: number | null; ttftP50Ms: number | null; errors: number;
}
interface Report { run: Run & { simulatedModels: string[] }; metrics: Metrics[]; pareto: Record<string, string[]> }
interface Comparison { model: string; suite: string; a?: { passRate: number }; b?: { passRate: number }; shared: number; test: { pValue: number; b: number; c: number }; significant: boolean; regression: boolean; improvement: boolean }
interface Compare { models: Comparison[]; changed: Array<{ suite: string; model: string; itemId: string; repeat: number; passA: boolean; passB: boolean }>; totalChanged: number; truncated: boolean }
interface Trend { suite: string; runs: Array<{ id: string; startedAt: number }>; models: Array<{ model: string; points: Array<{ runId: string; startedAt: number; passRate: number; passRateLower: number; passRateUpper: number }> }> }

export function EvalsView(props: { params: URLSearchParams }) {
  const { params } = props;
  const runs = useFetch((signal) => get<{ runs: Run[] }>('evals/runs', { limit: 50 }, signal), 'runs');
  const runId = params.get('run') ?? runs.data?.runs[0]?.id;
  const compareWith = params.get('compare') ?? undefined;
  return (
    <section>
      <h2>Evals</h2>
      <ErrorNote error={runs.error} />
      {runs.data?.runs.length === 0 && <p class="muted">No eval runs yet: run `arbiter eval`.</p>}
      <div class="split">
        <table data-testid="runs-table" class="runs">
          <thead><tr><th>run</th><th>started</th><th>status</th><th></th></tr></thead>
          <tbody>{runs.data?.runs.map((run) => (
            <tr key={run.id} class={run.id === runId ? 'on' : ''} onClick={() => setParams({ run: run.id })}>
              <td class="mono">{run.id}</td><td>{time(run.startedAt)}</td><td>{run.status}{run.simulated ? ' (SIMULATED)' : ''}</td>
              <td>{runId && run.id !== runId && <button onClick={(event) => { event.stopPropagation(); setParams({ compare: run.id }); }}>compare</button>}</td>
            </tr>
          ))}</tbody>
        </table>
        <div>{runId && <Leaderboard runId={runId} />}</div>
      </div>
      {runId && compareWith && <CompareRuns a={compareWith} b={runId} />}
      <TrendPanel params={params} />
    </section>
  );
}

function Leaderboard(props: { runId: string }) {
  const report = useFetch((signal) => get<Report>('evals/report', { run: props.runId }, signal), props.runId);
  if (report.error) return <ErrorNote error={report.error} />;
  if (!report.data) return <p class="muted">loading…</p>;
  const suites = [...new Set(report.data.metrics.map((m) => m.suite))];
  return (
    <div data-testid="leaderboard">
      <h3>Leaderboard {report.data.run.simulated ? <span class="tag">SIMULATED</span> : null}</h3>
      {suites.map((suite) => {
        const rows = report.data!.metrics.filter((m) => m.suite === suite);
        const front = new Set(report.data!.pareto[suite] ?? []);
        return (
          <div key={suite}>
            <h4>{suite} <a href={`/ui/evals?suite=${encodeURIComponent(suite)}`} onClick={(event) => { event.preventDefault(); setParams({ suite }); }}>trend</a></h4>
            <table class="leaderboard">
              <thead><tr><th>model</th><th>Pareto</th><th>passes</th><th>pass rate</th><th>95% CI</th><th>cost/success</th><th>total cost</th><th>p50</th><th>p95</th><th>errors</th></tr></thead>
              <tbody>{rows.map((m) => (
                <tr key={m.model} data-model={m.model}>
                  <td>{m.model}</td><td>{front.has(m.model) ? '★' : ''}</td><td>{m.passes}/{m.total}</td><td>{pct(m.passRate)}</td>
                  <td>{pct(m.passRateLower)}–{pct(m.passRateUpper)}</td><td>{m.costPerSuccess ? usd(m.costPerSuccess.valueNano) : '—'}</td>
                  <td>{usd(m.totalCostNano)}</td><td>{ms(m.latencyP50Ms)}</td><td>{ms(m.latencyP95Ms)}</td><td>{m.errors}</td>
                </tr>
              ))}</tbody>
            </table>
            <ParetoChart metrics={rows} front={front} />
          </div>
        );
      })}
    </div>
  );
}

/** Cost per success (log x) against pass rate (y); the Pareto front joined by a line. */
function ParetoChart(props: { metrics: Metrics[]; front: Set<string> }) {
  const points = props.metrics.filter((m) => m.costPerSuccess !== null).map((m) => ({ model: m.model, x: m.costPerSuccess!.valueNano, y: m.passRate, low: m.passRateLower, high: m.passRateUpper }));
  if (points.length === 0) return <p class="muted">No model has a priced success to place on the chart.</p>;
  const width = 560, height = 260, pad = 44;
  const logs = points.map((p) => Math.log10(Math.max(p.x, 1)));
  const minX = Math.min(...logs) - 0.2, maxX = Math.max(...logs) + 0.2;
  const sx = (x: number) => pad + ((Math.log10(Math.max(x, 1)) - minX) / (maxX - minX || 1)) * (width - 2 * pad);
  const sy = (y: number) => height - pad - y * (height - 2 * pad);
  const front = points.filter((p) => props.front.has(p.model)).sort((a, b) => a.x - b.x);
  return (
    <svg data-testid="pareto-chart" class="pareto" viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label="cost per success against pass rate">
      <line x1={pad} y1={height - pad} x2={width - pad} y2={height - pad} stroke="#999" />
      <line x1={pad} y1={pad} x2={pad} y2={height - pad} stroke="#999" />
      <text x={width / 2} y={height - 8} text-anchor="middle">cost per success (log)</text>
      <text x={12} y={height / 2} transform={`rotate(-90 12 ${height / 2})`} text-anchor="middle">pass rate</text>
      {[0, 0.5, 1].map((y) => <text key={y} x={pad - 6} y={sy(y) + 4} text-anchor="end" font-size="10">{pct(y)}</text>)}
      <polyline points={front.map((p) => `${sx(p.x)},${sy(p.y)}`).join(' ')} fill="none" stroke="#16a34a" stroke-width="2" data-testid="pareto-front" />
      {points.map((p) => (
        <g key={p.model}>
          <line x1={sx(p.x)} x2={sx(p.x)} y1={sy(p.low)} y2={sy(p.high)} stroke="#93c5fd" />
          <circle cx={sx(p.x)} cy={sy(p.y)} r={5} fill={props.front.has(p.model) ? '#16a34a' : '#2563eb'} data-model={p.model} />
          <text x={sx(p.x) + 7} y={sy(p.y) - 6} font-size="11">{p.model} {usd(p.x)}</text>
        </g>
      ))}
    </svg>
  );
}

function CompareRuns(props: { a: string; b: string }) {
  const diff = useFetch((signal) => get<Compare>('evals/compare', { a: props.a, b: props.b }, signal), `${props.a}:${props.b}`);
  return (
    <div data-testid="compare">
      <h3>Compare <span class="mono">{props.a}</span> → <span class="mono">{props.b}</span> <button onClick={() => setParams({ compare: undefined })}>close</button></h3>
      <ErrorNote error={diff.error} />
      {diff.data && <>
        <table>
          <thead><tr><th>suite</th><th>model</th><th>A</th><th>B</th><th>shared</th><th>A only passed</th><th>B only passed</th><th>McNemar p</th><th></th></tr></thead>
          <tbody>{diff.data.models.map((m) => (
            <tr key={`${m.suite}:${m.model}`} class={m.regression ? 'bad' : m.improvement ? 'good' : ''}>
              <td>{m.suite}</td><td>{m.model}</td><td>{pct(m.a?.passRate)}</td><td>{pct(m.b?.passRate)}</td><td>{m.shared}</td>
              <td>{m.test.b}</td><td>{m.test.c}</td><td>{m.test.pValue.toFixed(3)}</td><td>{m.regression ? 'regression' : m.improvement ? 'improvement' : m.significant ? 'significant' : ''}</td>
            </tr>
          ))}</tbody>
        </table>
        <h4>Items that changed ({diff.data.totalChanged}{diff.data.truncated ? ', first 500 shown' : ''})</h4>
        <table data-testid="changed-items">
          <thead><tr><th>suite</th><th>model</th><th>item</th><th>A</th><th>B</th></tr></thead>
          <tbody>{diff.data.changed.map((item) => (
            <tr key={`${item.suite}:${item.model}:${item.itemId}:${item.repeat}`}><td>{item.suite}</td><td>{item.model}</td><td class="mono">{item.itemId}#{item.repeat}</td><td>{item.passA ? 'pass' : 'fail'}</td><td>{item.passB ? 'pass' : 'fail'}</td></tr>
          ))}</tbody>
        </table>
      </>}
    </div>
  );
}

function TrendPanel(props: { params: URLSearchParams }) {
  const suite = props.params.get('suite');
  const model = props.params.get('model') ?? undefined;
  const trend = useFetch((signal) => suite ? get<Trend>('evals/trend', { suite, model }, signal) : Promise.resolve(undefined), `${suite}:${model}`);
  if (!suite) return null;
  const data = trend.data;
  const times = data?.runs.map((run) => run.startedAt) ?? [];
  const series = data?.models.map((m) => ({ label: m.model, values: data.runs.map((run) => m.points.find((p) => p.runId === run.id)?.passRate ?? null) })) ?? [];
  return (
    <div data-testid="trend">
      <h3>Trend of {suite}</h3>
      <Select label="model" name="model" value={model ?? ''} options={data?.models.map((m) => m.model) ?? []} onChange={(value) => setParams({ model: value })} />
      <ErrorNote error={trend.error} />
      {data && <TimeChart times={times} series={series} format={(v) => pct(v)} />}
    </div>
  );
}

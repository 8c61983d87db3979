/** Renders `arbiter diff` and `arbiter trend` as a table, Markdown or JSON. */
import type { ModelComparison } from './compare-runs.js';
import { formatInterval, formatPercent } from './format-figures.js';
import { renderMarkdownTable } from './format-markdown.js';
import { renderTextTable } from './format-text.js';
import { simulatedNotice } from './simulated-label.js';
import type { SuiteTrend } from './trend.js';

export type ComparisonFormat = 'table' | 'md' | 'json';

const signed = (delta: number | undefined) => (delta === undefined ? '—' : `${delta >= 0 ? '+' : ''}${(delta * 100).toFixed(1)} pt`);

function verdict(comparison: ModelComparison): string {
  if (comparison.regression) return 'REGRESSION';
  if (comparison.improvement) return 'improved';
  return comparison.shared === 0 ? 'no shared items' : 'no significant change';
}

function pValue(comparison: ModelComparison): string {
  if (comparison.test.method === 'none') return '—';
  return `${comparison.test.pValue < 0.001 ? '<0.001' : comparison.test.pValue.toFixed(3)} (${comparison.test.method})`;
}

const diffHeader = ['Suite', 'Model', 'A', 'A 95% CI', 'B', 'B 95% CI', 'Δ', 'Shared', 'A-only/B-only pass', 'McNemar p', 'Verdict'];

function diffRow(comparison: ModelComparison): string[] {
  const side = (figures: ModelComparison['a']) => (figures ? `${formatPercent(figures.passRate)} (${figures.passes}/${figures.total})` : '—');
  const interval = (figures: ModelComparison['a']) => (figures ? formatInterval(figures.passRateLower, figures.passRateUpper) : '—');
  return [
    comparison.suite, comparison.model, side(comparison.a), interval(comparison.a), side(comparison.b), interval(comparison.b),
    signed(comparison.delta), String(comparison.shared), `${comparison.test.b}/${comparison.test.c}`, pValue(comparison), verdict(comparison),
  ];
}

function render(format: 'table' | 'md', header: string[], rows: string[][]): string {
  return format === 'md' ? renderMarkdownTable(header, rows) : renderTextTable(header, rows);
}

export function formatDiff(input: { runA: string; runB: string; simulated: boolean; comparisons: ModelComparison[] }, format: ComparisonFormat): string {
  const regressions = input.comparisons.filter((comparison) => comparison.regression);
  if (format === 'json') {
    return `${JSON.stringify({ ...(input.simulated ? { label: 'SIMULATED', notice: simulatedNotice([]) } : {}), ...input, regressions: regressions.length }, null, 2)}\n`;
  }
  const lines: string[] = [];
  if (input.simulated) lines.push(format === 'md' ? `> **${simulatedNotice([])}**` : `*** ${simulatedNotice([])} ***`, '');
  lines.push(`${format === 'md' ? '# ' : ''}Diff ${input.runA} (A) → ${input.runB} (B)`, '');
  lines.push(render(format, diffHeader, input.comparisons.map(diffRow)), '');
  lines.push(regressions.length === 0
    ? 'No significant regressions (McNemar on shared items, α = 0.05).'
    : `${regressions.length} significant regression(s): ${regressions.map((r) => `${r.model} on ${r.suite}`).join(', ')}.`);
  return `${lines.join('\n')}\n`;
}

export function formatTrend(trend: SuiteTrend, format: ComparisonFormat): string {
  if (format === 'json') return `${JSON.stringify({ ...(trend.simulated ? { label: 'SIMULATED', notice: simulatedNotice([]) } : {}), ...trend }, null, 2)}\n`;
  const header = ['Model', ...trend.runs.map((run) => `${run.id} (${new Date(run.startedAt).toISOString().slice(0, 10)})`), 'Last step (shared items)', 'McNemar p', 'Verdict'];
  const rows = trend.models.map((model) => {
    const cells = trend.runs.map((run) => {
      const point = model.points.find((p) => p.runId === run.id);
      return point ? `${formatPercent(point.passRate)} [${formatInterval(point.passRateLower, point.passRateUpper)}]` : '—';
    });
    const step = model.lastStep;
    // The step is paired: the change on the items both runs graded, which is what McNemar tests.
    const stepCell = step ? (step.shared > 0 ? `${signed(step.pairedDelta)} on ${step.shared}` : 'none shared') : '—';
    return [model.model, ...cells, stepCell, step ? pValue(step) : '—', step ? verdict(step) : 'one run'];
  });
  const lines: string[] = [];
  if (trend.simulated) lines.push(format === 'md' ? `> **${simulatedNotice([])}**` : `*** ${simulatedNotice([])} ***`, '');
  lines.push(`${format === 'md' ? '# ' : ''}Trend for suite ${trend.suite} over ${trend.runs.length} run(s)`, '');
  lines.push(render(format, header, rows), '');
  const regressions = trend.models.filter((model) => model.lastStep?.regression);
  lines.push(regressions.length === 0 ? 'No significant regressions in the latest step.' : `REGRESSION: ${regressions.map((model) => model.model).join(', ')}.`);
  return `${lines.join('\n')}\n`;
}

/**
 * `arbiter report --format html`: one self-contained page (inline CSS, inline SVG, no script,
 * no CDN): a SIMULATED banner when it applies, the leaderboard, and per suite the cost per
 * success / pass rate chart with the Pareto front.
 */
import { leaderboardHeader, leaderboardRows, runNotes, visibleColumns } from './leaderboard-rows.js';
import { escapeXml, renderParetoChart } from './pareto-chart-svg.js';
import type { RunReport } from './run-report.js';
import { SIMULATED_LABEL, simulatedNotice } from './simulated-label.js';

const css = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:24px auto;max-width:1200px;color:#1b1f24;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.banner{background:#b42318;color:#fff;font-weight:700;padding:12px 16px;border-radius:6px;margin:12px 0;letter-spacing:.02em}
.meta{color:#57606a}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums;font-size:13px}
th,td{border-bottom:1px solid #d0d7de;padding:5px 8px;text-align:right;white-space:nowrap}
th:nth-child(-n+2),td:nth-child(-n+2){text-align:left}
th{background:#f6f8fa;position:sticky;top:0}
tr.front td{background:#f0fff4}
.chart{max-width:680px;width:100%;height:auto;border:1px solid #d0d7de;border-radius:6px;background:#fff}
.grid{stroke:#eaeef2;stroke-width:1}.tick{font-size:11px;fill:#57606a}.axis-title{font-size:12px;fill:#1b1f24}
.err{stroke:#8c959f;stroke-width:1.2}.point{fill:#fff;stroke:#0969da;stroke-width:2}.point.pareto{fill:#1a7f37;stroke:#1a7f37}
.pareto-front{fill:none;stroke:#1a7f37;stroke-width:2;stroke-dasharray:6 4}.label{font-size:12px;fill:#1b1f24}
.legend text{font-size:12px;fill:#1b1f24}
ul.notes{color:#57606a}
`;

export function formatReportHtml(report: RunReport): string {
  const columns = visibleColumns(report);
  const header = columns.map((column) => `<th>${escapeXml(leaderboardHeader[column] ?? '')}</th>`).join('');
  const rows = leaderboardRows(report).map((row) => {
    const onFront = row[2] === '★';
    return `<tr${onFront ? ' class="front"' : ''}>${columns.map((column) => `<td>${escapeXml(row[column] ?? '')}</td>`).join('')}</tr>`;
  });
  const suites = [...new Set(report.metrics.map((m) => m.suite))];
  const charts = suites.map((suite) => [
    `<h2>${escapeXml(suite)}: cost per success vs pass rate${report.run.simulated ? ' (SIMULATED)' : ''}</h2>`,
    renderParetoChart(suite, report.metrics.filter((m) => m.suite === suite), report.pareto[suite] ?? []),
  ].join('\n'));
  const banner = report.run.simulated ? `<div class="banner">${escapeXml(simulatedNotice(report.run.simulatedModels))}</div>` : '';
  const notes = runNotes(report);
  const title = `Arbiter eval report ${report.run.id}${report.run.simulated ? ` (${SIMULATED_LABEL})` : ''}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeXml(title)}</title><style>${css}</style></head>
<body>
<h1>${escapeXml(title)}</h1>
${banner}
<p class="meta">Status ${escapeXml(report.run.status)}; started ${new Date(report.run.startedAt).toISOString()}${report.run.finishedAt ? `; finished ${new Date(report.run.finishedAt).toISOString()}` : ''}. Intervals are Wilson 95%; cost-per-success intervals divide the total cost by the Wilson bounds on successes. ★ marks the Pareto front (no other model is both cheaper per success and at least as good).</p>
<h2>Leaderboard</h2>
<table><thead><tr>${header}</tr></thead><tbody>
${rows.join('\n')}
</tbody></table>
${notes.length > 0 ? `<ul class="notes">${notes.map((note) => `<li>${escapeXml(note)}</li>`).join('')}</ul>` : ''}
${charts.join('\n')}
${banner}
</body></html>
`;
}

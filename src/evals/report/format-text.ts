/** `arbiter report --format table`: an aligned plain-text leaderboard for the terminal. */
import { leaderboardHeader, leaderboardRows, runNotes, visibleColumns } from './leaderboard-rows.js';
import type { RunReport } from './run-report.js';
import { simulatedNotice } from './simulated-label.js';

export function renderTextTable(header: readonly string[], rows: readonly string[][]): string {
  const widths = header.map((title, column) => Math.max([...title].length, ...rows.map((row) => [...(row[column] ?? '')].length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

export function formatReportTable(report: RunReport): string {
  const columns = visibleColumns(report);
  const pick = (row: readonly string[]) => columns.map((column) => row[column] ?? '');
  const lines: string[] = [];
  if (report.run.simulated) lines.push(`*** ${simulatedNotice(report.run.simulatedModels)} ***`, '');
  lines.push(`Run ${report.run.id} — ${report.run.status}, started ${new Date(report.run.startedAt).toISOString()}`, '');
  lines.push(renderTextTable(pick(leaderboardHeader), leaderboardRows(report).map(pick)));
  lines.push('', '★ = on the cost-per-success / pass-rate Pareto front of its suite. Intervals are Wilson 95%.');
  lines.push(...runNotes(report));
  if (report.run.simulated) lines.push('', `*** ${simulatedNotice([])} ***`);
  return `${lines.join('\n')}\n`;
}

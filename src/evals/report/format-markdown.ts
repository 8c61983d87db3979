/** `arbiter report --format md`: a GitHub-flavoured Markdown leaderboard. */
import { leaderboardHeader, leaderboardRows, runNotes, visibleColumns } from './leaderboard-rows.js';
import type { RunReport } from './run-report.js';
import { simulatedNotice } from './simulated-label.js';

const cell = (text: string) => text.replace(/\|/g, '\\|');

export function renderMarkdownTable(header: readonly string[], rows: readonly string[][]): string {
  return [
    `| ${header.map(cell).join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');
}

export function formatReportMarkdown(report: RunReport): string {
  const columns = visibleColumns(report);
  const pick = (row: readonly string[]) => columns.map((column) => row[column] ?? '');
  const lines = [`# Arbiter eval report: ${report.run.id}${report.run.simulated ? ' (SIMULATED)' : ''}`, ''];
  if (report.run.simulated) lines.push(`> **${simulatedNotice(report.run.simulatedModels)}**`, '');
  lines.push(`Status: ${report.run.status}. Started ${new Date(report.run.startedAt).toISOString()}.`, '');
  lines.push(renderMarkdownTable(pick(leaderboardHeader), leaderboardRows(report).map(pick)), '');
  lines.push('★ = on the cost-per-success / pass-rate Pareto front of its suite. Intervals are Wilson 95%.');
  for (const note of runNotes(report)) lines.push('', `- ${note}`);
  return `${lines.join('\n')}\n`;
}

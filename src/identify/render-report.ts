/** The identification as text for the terminal: verdict, ranking, evidence table, spend. */
import type { IdentifyReport } from './identify-endpoint.js';
import { CONFIDENT_PROBABILITY } from './verdict.js';

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => Math.min(90, row[i]?.length ?? 0))));
  const line = (cells: string[]): string => cells.map((cell, i) => (cell.length > 90 ? `${cell.slice(0, 89)}…` : cell).padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

export function renderReport(report: IdentifyReport, extra: { swap?: string } = {}): string {
  const { verdict } = report;
  const lines: string[] = [];
  lines.push(`Endpoint: ${report.target.url} (model ${report.target.model}, ${report.target.format} format)`);
  lines.push(verdict.confident
    ? `Verdict: ${verdict.ranked[0]?.label ?? verdict.family} (p = ${verdict.probability.toFixed(3)})`
    : `Verdict: unknown (top p = ${verdict.probability.toFixed(3)} < ${CONFIDENT_PROBABILITY}: the evidence does not separate the candidates)`);
  if (extra.swap) lines.push(`FINGERPRINT CHANGED since the last identification: ${extra.swap}`);
  lines.push('', 'Ranking:');
  lines.push(table(['p', 'hypothesis', 'family set'], verdict.ranked.slice(0, 6).map((row) => [row.probability.toFixed(3), row.label, row.set.join(', ') || '-'])));
  lines.push('', 'Evidence:');
  lines.push(table(['pass', 'signal', 'weight', 'value', 'note'], report.evidence.map((row) => [row.pass, row.signal, row.weight, row.value.replace(/\s+/g, ' '), row.note ?? ''])));
  if (report.reference) lines.push('', `Reference: ${report.reference.differs ? 'outputs DIFFER from the reference' : 'outputs consistent with the reference'} (p = ${report.reference.pValue.toFixed(3)})`);
  lines.push('', `Spent: ${report.spent.requests} requests, ${report.spent.promptTokens} prompt + ${report.spent.completionTokens} completion tokens${report.spent.referenceRequests ? ` (+${report.spent.referenceRequests} requests to the reference)` : ''}, ${(report.durationMs / 1000).toFixed(1)} s`);
  lines.push(`Fingerprint: ${report.fingerprint}`);
  return lines.join('\n');
}

/** Picks the report format by name: one switch, each format its own file. */
import { formatReportHtml } from './format-html.js';
import { formatReportJson } from './format-json.js';
import { formatReportMarkdown } from './format-markdown.js';
import { formatReportTable } from './format-text.js';
import type { RunReport } from './run-report.js';

export type ReportFormat = 'table' | 'json' | 'md' | 'html';

export const reportFormats: readonly ReportFormat[] = ['table', 'json', 'md', 'html'];

export function formatReport(report: RunReport, format: ReportFormat): string {
  switch (format) {
    case 'table': return formatReportTable(report);
    case 'json': return formatReportJson(report);
    case 'md': return formatReportMarkdown(report);
    case 'html': return formatReportHtml(report);
    default: {
      const unknown: never = format;
      throw new Error(`unknown report format '${String(unknown)}'`);
    }
  }
}

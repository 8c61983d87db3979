/** `arbiter report --format json`: the report as data, with the simulated flag up front. */
import type { RunReport } from './run-report.js';
import { SIMULATED_LABEL, simulatedNotice } from './simulated-label.js';

export function formatReportJson(report: RunReport): string {
  const label = report.run.simulated ? { label: SIMULATED_LABEL, notice: simulatedNotice(report.run.simulatedModels) } : {};
  return `${JSON.stringify({ ...label, ...report }, null, 2)}\n`;
}

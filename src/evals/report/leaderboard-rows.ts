/**
 * The leaderboard as rows of strings, one per (model, suite): the table, Markdown and HTML
 * formats all render these, so the columns and figures cannot drift apart.
 */
import { formatUsd } from '../../core/money.js';
import type { ModelSuiteMetrics } from '../stats/model-metrics.js';
import { formatCostInterval, formatCostPerSuccess, formatInterval, formatMs, formatOptionalRate, formatPercent } from './format-figures.js';
import type { RunReport } from './run-report.js';

export const leaderboardHeader = [
  'Suite', 'Model', 'Pareto', 'Passes', 'Pass rate', '95% CI', 'Cost/success', 'Cost/success 95% CI', 'Total cost',
  'p50', 'p95', 'TTFT p50', 'Tokens in/out', 'Errors', 'Valid call', 'Wrong fn', 'Halluc. call',
] as const;

export function isUnpriced(metrics: ModelSuiteMetrics): boolean {
  return metrics.costPerSuccess === null && metrics.unpricedResults > 0 && metrics.totalCostNano === 0;
}

export function leaderboardRow(metrics: ModelSuiteMetrics, onFront: boolean, simulated: boolean): string[] {
  const unpriced = isUnpriced(metrics);
  return [
    metrics.suite,
    simulated ? `${metrics.model} (SIMULATED)` : metrics.model,
    onFront ? '★' : '',
    `${metrics.passes}/${metrics.total}`,
    formatPercent(metrics.passRate),
    formatInterval(metrics.passRateLower, metrics.passRateUpper),
    formatCostPerSuccess(metrics.costPerSuccess, unpriced),
    unpriced ? 'unpriced' : formatCostInterval(metrics.costPerSuccess),
    unpriced ? 'unpriced' : formatUsd(metrics.totalCostNano),
    formatMs(metrics.latencyP50Ms),
    formatMs(metrics.latencyP95Ms),
    formatMs(metrics.ttftP50Ms),
    `${metrics.promptTokens}/${metrics.completionTokens}`,
    metrics.errors === 0 ? '0' : `${metrics.errors} (${formatPercent(metrics.errorRate)})`,
    formatOptionalRate(metrics.tools?.validCallRate),
    formatOptionalRate(metrics.tools?.wrongFunctionRate),
    formatOptionalRate(metrics.tools?.hallucinatedCallRate),
  ];
}

export function leaderboardRows(report: RunReport): string[][] {
  const simulated = new Set(report.run.simulatedModels);
  return report.metrics.map((metrics) => leaderboardRow(metrics, report.pareto[metrics.suite]?.includes(metrics.model) ?? false, simulated.has(metrics.model)));
}

/** Drops the tool columns when no suite in the report has tool diagnostics. */
export function visibleColumns(report: RunReport): number[] {
  const hasTools = report.metrics.some((metrics) => metrics.tools !== undefined);
  return leaderboardHeader.map((_, index) => index).filter((index) => hasTools || index < 14);
}

export function runNotes(report: RunReport): string[] {
  const notes: string[] = [];
  if (report.budget) {
    notes.push(`Budget ${formatUsd(report.budget.limitNano)}: spent ${formatUsd(report.budget.spentNano)}${report.budget.exhausted ? `, exhausted; ${report.budget.unscheduled} task(s) not run` : ''}.`);
  }
  if (report.failFast) {
    for (const skip of report.failFast.skipped) {
      notes.push(`Fail-fast stopped ${skip.model} on ${skip.suite} (${skip.detail}); ${skip.itemsSkipped} item(s) skipped, about ${formatUsd(skip.estimatedSavedNano)} saved.`);
    }
  }
  if (report.metrics.some(isUnpriced)) notes.push('Unpriced: the deployment has no price in the catalog; its cost is unknown, not zero.');
  return notes;
}

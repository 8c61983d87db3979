/**
 * What `arbiter eval` prints: `--json` gives the run summary as data (USD figures, intervals,
 * SIMULATED label); otherwise a few lines around the leaderboard table.
 */
import { formatUsd, nanoToUsd } from '../../core/money.js';
import type { RunSummary } from '../runner/types.js';
import { SIMULATED_LABEL, simulatedNotice } from './simulated-label.js';

const usdOrNull = (nano: number | null | undefined) => (nano === null || nano === undefined ? null : nanoToUsd(nano));

export function runSummaryJson(summary: RunSummary): Record<string, unknown> {
  const simulated = new Set(summary.simulatedModels);
  return {
    ...(summary.simulated ? { label: SIMULATED_LABEL, notice: simulatedNotice(summary.simulatedModels) } : {}),
    runId: summary.runId,
    status: summary.status,
    simulated: summary.simulated,
    startedAt: new Date(summary.startedAt).toISOString(),
    finishedAt: new Date(summary.finishedAt).toISOString(),
    planned: summary.planned,
    graded: summary.graded,
    resumedFrom: summary.resumedFrom,
    cacheHits: summary.cacheHits,
    paidCalls: summary.paidCalls,
    retries: summary.retries,
    errors: summary.errors,
    spentUsd: nanoToUsd(summary.spentNano),
    ...(summary.budget ? { budget: { limitUsd: nanoToUsd(summary.budget.limitNano), spentUsd: nanoToUsd(summary.budget.spentNano), exhausted: summary.budget.exhausted, unscheduled: summary.budget.unscheduled } } : {}),
    ...(summary.failFast ? {
      failFast: {
        itemsSkipped: summary.failFast.itemsSkipped,
        estimatedSavedUsd: nanoToUsd(summary.failFast.estimatedSavedNano),
        skipped: summary.failFast.skipped.map((skip) => ({ ...skip, estimatedSavedUsd: nanoToUsd(skip.estimatedSavedNano) })),
      },
    } : {}),
    results: summary.metrics.map((m) => ({
      model: m.model,
      suite: m.suite,
      simulated: simulated.has(m.model),
      passes: m.passes,
      total: m.total,
      passRate: m.passRate,
      passRateInterval: [m.passRateLower, m.passRateUpper],
      costUsd: m.unpricedResults > 0 && m.totalCostNano === 0 ? null : nanoToUsd(m.totalCostNano),
      costPerSuccessUsd: usdOrNull(m.costPerSuccess?.valueNano),
      costPerSuccessInterval: m.costPerSuccess ? [nanoToUsd(m.costPerSuccess.lowerNano), usdOrNull(m.costPerSuccess.upperNano)] : null,
      latencyP50Ms: m.latencyP50Ms,
      latencyP95Ms: m.latencyP95Ms,
      ttftP50Ms: m.ttftP50Ms,
      tokensIn: m.promptTokens,
      tokensOut: m.completionTokens,
      errorRate: m.errorRate,
      ...(m.tools ? { tools: m.tools } : {}),
    })),
  };
}

export function runSummaryLines(summary: RunSummary): string[] {
  const lines = [`Run ${summary.runId}: ${summary.status}. ${summary.graded} graded (${summary.cacheHits} from cache${summary.resumedFrom > 0 ? `, ${summary.resumedFrom} from before the resume` : ''}), ${summary.paidCalls} paid calls, ${summary.retries} retries, ${summary.errors} errors; spent ${formatUsd(summary.spentNano)}.`];
  if (summary.budget?.exhausted) lines.push(`Budget ${formatUsd(summary.budget.limitNano)} reached: ${summary.budget.unscheduled} task(s) were not run.`);
  if (summary.budget?.exhausted && summary.paidCalls === 0 && summary.cacheHits === 0) {
    // Each call reserves its worst case before it starts, so a budget below one call's reserve runs nothing.
    lines.push('No call fitted: each call first reserves its prompt plus max_tokens of output (1024 when the suite sets none) at list price; raise --budget-usd.');
  }
  if (summary.failFast && summary.failFast.itemsSkipped > 0) {
    lines.push(`Fail-fast skipped ${summary.failFast.itemsSkipped} task(s), saving about ${formatUsd(summary.failFast.estimatedSavedNano)}.`);
  }
  // The notice starts with the SIMULATED label itself.
  if (summary.simulated) lines.push(simulatedNotice(summary.simulatedModels));
  return lines;
}

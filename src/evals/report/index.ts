/** Reports over stored eval runs: the leaderboard in four formats, diffs and trends. */
export { loadRunReport, sortMetrics, paretoBySuite, type RunReport } from './run-report.js';
export { formatReport, reportFormats, type ReportFormat } from './format-report.js';
export { compareRuns, type ModelComparison } from './compare-runs.js';
export { suiteTrend, type SuiteTrend, type TrendRun } from './trend.js';
export { formatDiff, formatTrend, type ComparisonFormat } from './format-comparison.js';
export { paretoFront } from './pareto.js';
export { SIMULATED_LABEL, simulatedNotice } from './simulated-label.js';

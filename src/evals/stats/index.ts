/** Statistics for eval results: intervals, paired tests, dominance, percentiles. */
export { wilsonInterval, Z_95, type Interval } from './wilson.js';
export { costPerSuccess, type CostPerSuccess } from './cost-per-success.js';
export { mcnemarTest, type McNemarResult } from './mcnemar.js';
export { checkDominance, findLeader, type Tally, type DominanceVerdict } from './dominance.js';
export { percentile } from './percentile.js';
export { computeModelSuiteMetrics, type ModelSuiteMetrics, type ResultForMetrics, type ToolCallMetrics } from './model-metrics.js';

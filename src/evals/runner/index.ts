/** The eval runner's public surface. */
export { runEval, newEvalRunId } from './run-eval.js';
export type { RunEvalOptions, RunSummary, ProgressEvent, FailFastSkip, ModelProgress } from './types.js';
export { evalRequestHash, canonicalJson } from './request-hash.js';

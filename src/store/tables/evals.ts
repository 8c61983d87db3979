/** Eval runs, items and graded responses (owned by the eval harness). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface EvalTables {}

/** Virtual keys, budgets, spend and the audit trail (owned by controls). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ControlTables {}

import { z } from 'zod';
import { parseBudget, type BudgetSpec } from '../core/budget-spec.js';

export const taskKindSchema = z.enum(['code', 'qa', 'tools', 'structured', 'chat']);

export const complianceSchema = z.strictObject({
  allowJurisdictions: z.array(z.string()).optional(),
  denyJurisdictions: z.array(z.string()).optional(),
  allowRegions: z.array(z.string()).optional(),
  openWeightsOnly: z.boolean().optional(),
  excludeVendors: z.array(z.string()).optional(),
  localOnly: z.boolean().optional(),
});

/** `500usd/month` or `20M/day`, the syntax of `arbiter keys create --budget/--tokens`. */
const budgetSchema = z.string().transform((text, ctx): BudgetSpec => {
  try {
    return parseBudget(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

/** One budget per kind and period: two `usd/month` lines would share one ledger scope. */
const budgetsSchema = z.array(budgetSchema).superRefine((budgets, ctx) => {
  const seen = new Set<string>();
  budgets.forEach((budget, index) => {
    const scope = `${budget.kind}/${budget.period}`;
    if (seen.has(scope)) ctx.addIssue({ code: 'custom', path: [index], message: `a second ${budget.kind === 'usd' ? 'dollar' : 'token'} budget per ${budget.period}; keep one` });
    seen.add(scope);
  });
});

/** A route is a feature's policy: what quality, latency, price and compliance it needs. */
export const routeConfigSchema = z.strictObject({
  task: taskKindSchema.default('chat'),
  /** Lower bound of the pass-rate interval on the matching suite must reach this. */
  qualityFloor: z.number().min(0).max(1).optional(),
  maxLatencyP95Ms: z.number().positive().optional(),
  /** Ceiling on blended price, USD per million tokens (input + output averaged 3:1). */
  maxPricePerMTokens: z.number().nonnegative().optional(),
  require: z.array(z.enum(['tools', 'parallel_tools', 'json_schema', 'vision', 'reasoning'])).default([]),
  compliance: complianceSchema.default({}),
  /** Restrict to these models or deployments; default: every deployment. */
  candidates: z.array(z.string()).optional(),
  /** Share of traffic (0-1) sent to candidates without eval data. */
  explore: z.number().min(0).max(1).default(0),
  retry: z.strictObject({
    maxAttempts: z.number().int().min(1).max(10).default(2),
    baseDelayMs: z.number().int().nonnegative().default(100),
    maxDelayMs: z.number().int().nonnegative().default(5_000),
  }).default({ maxAttempts: 2, baseDelayMs: 100, maxDelayMs: 5_000 }),
  maxFallbacks: z.number().int().min(0).default(3),
  /** Start the next candidate when the first has not answered within its live p95; first answer wins. */
  hedge: z.boolean().default(false),
  cache: z.strictObject({
    enabled: z.boolean().default(false),
    ttlSeconds: z.number().int().positive().default(3600),
    allowNonZeroTemperature: z.boolean().default(false),
  }).default({ enabled: false, ttlSeconds: 3600, allowNonZeroTemperature: false }),
  /** Opt-in storage of prompt and response bodies in the audit trail (redacted). */
  storeBodies: z.boolean().default(false),
  /**
   * The feature's own budgets, on top of any key's: every request on the route (keyed,
   * master key or localhost) reserves its worst case against each.
   */
  budgets: budgetsSchema.default([]),
});

export type RouteConfig = z.infer<typeof routeConfigSchema>;
export type TaskKind = z.infer<typeof taskKindSchema>;
export type ComplianceRules = z.infer<typeof complianceSchema>;

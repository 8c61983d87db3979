/**
 * Assertions for user suites, validated with zod at load time. Negation is a field
 * (`not: true`), never a name prefix, so every assertion type keeps one spelling.
 */
import { z } from 'zod';

const base = {
  not: z.boolean().optional(),
  /** Weight in the item's score (default 1). */
  weight: z.number().positive().optional(),
  description: z.string().optional(),
};

export const assertionSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('equals'), value: z.unknown(), ...base }),
  z.strictObject({ type: z.literal('contains'), value: z.union([z.string(), z.array(z.string()).min(1)]), ...base }),
  z.strictObject({ type: z.literal('icontains'), value: z.union([z.string(), z.array(z.string()).min(1)]), ...base }),
  z.strictObject({ type: z.literal('regex'), value: z.string().min(1), flags: z.string().regex(/^[dgimsuvy]*$/).optional(), ...base }),
  z.strictObject({ type: z.literal('json_schema'), value: z.record(z.string(), z.unknown()), ...base }),
  z.strictObject({ type: z.literal('javascript'), value: z.string().min(1), timeoutMs: z.number().int().positive().max(10_000).optional(), threshold: z.number().optional(), ...base }),
  z.strictObject({ type: z.literal('python'), value: z.string().min(1), timeoutMs: z.number().int().positive().max(30_000).optional(), threshold: z.number().optional(), ...base }),
  z.strictObject({ type: z.literal('llm-judge'), rubric: z.string().min(1), model: z.string().min(1), threshold: z.number().min(0).max(1).optional(), ...base }),
]);

export type Assertion = z.infer<typeof assertionSchema>;
export type AssertionType = Assertion['type'];

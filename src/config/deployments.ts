import { z } from 'zod';

export const providerKindSchema = z.enum(['openai', 'anthropic', 'gemini', 'openai-compatible']);

export const timeoutsSchema = z.strictObject({
  connectMs: z.number().int().positive().default(5_000),
  firstByteMs: z.number().int().positive().default(60_000),
  totalMs: z.number().int().positive().default(600_000),
});

/** One named deployment: where and how one model is served. */
export const deploymentConfigSchema = z.strictObject({
  name: z.string().min(1),
  /** Public model name; defaults to `name`. Several deployments with one model are mirrors. */
  model: z.string().min(1).optional(),
  provider: providerKindSchema,
  preset: z.string().optional(),
  upstreamModel: z.string().min(1),
  baseUrl: z.url().optional(),
  /** The key itself (usually `${ENV}`), or the variable to read it from. */
  apiKey: z.string().optional(),
  apiKeyEnv: z.string().optional(),
  region: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  catalogModel: z.string().optional(),
  timeouts: timeoutsSchema.partial().optional(),
  simulated: z.boolean().optional(),
});

export type DeploymentConfig = z.infer<typeof deploymentConfigSchema>;

/** The whole config file: validated once at start, then trusted. */
import { z } from 'zod';
import { deploymentConfigSchema } from './deployments.js';
import { routeConfigSchema } from './routes.js';
import { serverConfigSchema, storageConfigSchema } from './server.js';

export const configSchema = z.strictObject({
  server: serverConfigSchema.default(serverConfigSchema.parse({})),
  storage: storageConfigSchema.default(storageConfigSchema.parse({})),
  deployments: z.array(deploymentConfigSchema).default([]),
  /** Named policies; a request selects one by model name, `x-arbiter-route`, or its key. */
  routes: z.record(z.string(), routeConfigSchema).default({}),
  /** Which route `arbiter/auto` means. */
  defaultRoute: z.string().optional(),
}).superRefine((config, ctx) => {
  const seen = new Set<string>();
  config.deployments.forEach((deployment, index) => {
    if (seen.has(deployment.name)) {
      ctx.addIssue({ code: 'custom', path: ['deployments', index, 'name'], message: `duplicate deployment name '${deployment.name}'` });
    }
    seen.add(deployment.name);
  });
});

export type ArbiterConfig = z.infer<typeof configSchema>;

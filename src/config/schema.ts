/** The whole config file: validated once at start, then trusted. */
import { z } from 'zod';
import { deploymentConfigSchema } from './deployments.js';
import { routeConfigSchema } from './routes.js';
import { nullPrototype } from '../core/own-property.js';
import { serverConfigSchema, storageConfigSchema } from './server.js';

export const configSchema = z.strictObject({
  server: serverConfigSchema.default(serverConfigSchema.parse({})),
  storage: storageConfigSchema.default(storageConfigSchema.parse({})),
  deployments: z.array(deploymentConfigSchema).default([]),
  /** Named policies; a request selects one by model name, `x-arbiter-route`, or its key. */
  // Null-prototype: requests name routes, and no name may find Object.prototype's members.
  routes: z.record(z.string(), routeConfigSchema).default({}).transform(nullPrototype),
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

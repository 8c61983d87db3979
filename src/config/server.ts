import { z } from 'zod';
import { timeoutsSchema } from './deployments.js';

export const serverConfigSchema = z.strictObject({
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(4000),
  bodyLimitBytes: z.number().int().positive().default(8 * 1024 * 1024),
  /** Environment variable holding the admin master key. */
  masterKeyEnv: z.string().default('ARBITER_MASTER_KEY'),
  upstream: z.strictObject({
    timeouts: timeoutsSchema.default({ connectMs: 5_000, firstByteMs: 60_000, totalMs: 600_000 }),
    connectionsPerOrigin: z.number().int().positive().default(128),
    keepAliveTimeoutMs: z.number().int().positive().default(30_000),
  }).default({ timeouts: { connectMs: 5_000, firstByteMs: 60_000, totalMs: 600_000 }, connectionsPerOrigin: 128, keepAliveTimeoutMs: 30_000 }),
  /** CORS for browser clients: allowed origins (or '*'); empty leaves CORS off. */
  cors: z.strictObject({
    origins: z.array(z.string().min(1)).default([]),
    maxAgeSeconds: z.number().int().min(0).max(86_400).default(600),
  }).default({ origins: [], maxAgeSeconds: 600 }),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export const storageConfigSchema = z.strictObject({
  /** `sqlite:PATH` (default, embedded) or `postgres://...`. */
  url: z.string().default('sqlite:.arbiter/arbiter.db'),
  redisUrl: z.string().optional(),
  /** Prefix of every Redis key Arbiter writes (one per Arbiter installation sharing a Redis). */
  redisPrefix: z.string().min(1).default('arbiter:'),
  /**
   * With Redis unreachable, budgeted or rate-limited keys are always refused (503), never
   * counted per process. `serve-unlimited` keeps traffic with no budget or limit flowing;
   * `refuse-all` refuses everything until Redis is back.
   */
  whenRedisDown: z.enum(['serve-unlimited', 'refuse-all']).default('serve-unlimited'),
});

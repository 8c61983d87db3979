/**
 * Redis connections and the Redis rate limiter (windows added after a call: completion
 * tokens, tool calls). Admission itself, budgets and windows in one step, is
 * `RedisAdmission` (redis-admission.ts); both count on Redis' clock, so replicas whose clocks
 * drift still share one window.
 */
import { Redis } from 'ioredis';
import { slidingWindowDecision, type RateDecision, type RateLimiter } from './rate-limit.js';
import { RedisScript } from './redis-script.js';
import { rateLua } from './redis-admission-lua.js';

const rateScript = new RedisScript(rateLua);

/**
 * No offline queue: while Redis is unreachable a command fails at once instead of waiting
 * for a reconnect, so a limited request is refused quickly (503) rather than hanging.
 */
export function createRedis(url: string): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    commandTimeout: 2_000,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 100, 1_000),
  });
}

/** A connection for blocking reads (the ledger sink's XREADGROUP): queues while reconnecting, never gives up. */
export function createBlockingRedis(url: string): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, retryStrategy: (times) => Math.min(times * 100, 1_000) });
  redis.on('error', () => undefined);
  return redis;
}

/** Resolves once connected, or after `timeoutMs` (a replica starts with Redis down and refuses limited traffic). */
export async function waitForRedis(redis: Redis, timeoutMs = 2_000): Promise<boolean> {
  if (redis.status === 'ready') return true;
  return new Promise((resolve) => {
    const timer = setTimeout(() => { redis.off('ready', onReady); resolve(false); }, timeoutMs);
    const onReady = () => { clearTimeout(timer); resolve(true); };
    redis.once('ready', onReady);
  });
}

export class RedisRateLimiter implements RateLimiter {
  /** `prefix` is the deployment's key prefix (`arbiter:`); windows live under `<prefix>rate:`. */
  /** `now` replaces Redis' clock (tests only: every replica must count on one clock). */
  constructor(private readonly redis: Redis, private readonly prefix = 'arbiter:', private readonly windowMs = 60_000, private readonly now?: () => number) {}

  async consume(key: string, limit: number, cost: number, options: { force?: boolean } = {}): Promise<RateDecision> {
    const args: Array<string | number> = [this.prefix, key, limit, Math.round(cost), this.windowMs, options.force ? '1' : '0'];
    if (this.now) args.push(Math.floor(this.now()));
    const result = await rateScript.run(this.redis, [], args) as number[];
    if (options.force || result[0] === 1) return { allowed: true, retryAfterMs: 0 };
    return slidingWindowDecision(Number(result[1]), Number(result[2]), Number(result[3]), this.windowMs, limit, cost);
  }

  async close(): Promise<void> {
    // The connection is shared and closed by its owner.
  }
}

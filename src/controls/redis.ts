/**
 * Redis-backed budget ledger and rate limiter for several gateway processes sharing limits.
 * Each operation is one Lua script, so a multi-scope reserve is atomic.
 */
import { Redis } from 'ioredis';
import type { BudgetLedger, BudgetLine, ReserveResult, SettleLine } from './budget.js';
import { slidingWindowDecision, type RateDecision, type RateLimiter } from './rate-limit.js';

const reserveScript = `
local used = {}
for i = 1, #KEYS do
  used[i] = tonumber(redis.call('GET', KEYS[i]) or '0')
end
for i = 1, #KEYS do
  local limit = tonumber(ARGV[(i - 1) * 3 + 1])
  local amount = tonumber(ARGV[(i - 1) * 3 + 2])
  if (amount > 0 and used[i] + amount > limit) or (amount <= 0 and used[i] >= limit) then
    local out = { i }
    for j = 1, #KEYS do out[j + 1] = tostring(used[j]) end
    return out
  end
end
for i = 1, #KEYS do
  redis.call('INCRBY', KEYS[i], ARGV[(i - 1) * 3 + 2])
  redis.call('PEXPIRE', KEYS[i], ARGV[(i - 1) * 3 + 3])
end
local out = { 0 }
for j = 1, #KEYS do out[j + 1] = tostring(used[j]) end
return out
`;

const rateScript = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local previous = tonumber(redis.call('GET', KEYS[2]) or '0')
local limit = tonumber(ARGV[1])
local cost = tonumber(ARGV[2])
local weight = 1 - tonumber(ARGV[3]) / tonumber(ARGV[4])
if weight < 0 then weight = 0 end
local needed = cost
if needed == 0 then needed = 1 end
local allowed = 0
if previous * weight + current + needed <= limit then allowed = 1 end
if allowed == 1 or ARGV[5] == '1' then
  if cost ~= 0 then
    -- A negative cost (forced) returns what a reservation did not use, never below zero.
    if redis.call('INCRBY', KEYS[1], cost) < 0 then redis.call('SET', KEYS[1], '0') end
    redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]) * 2)
  end
end
return { allowed, current, previous }
`;

export function createRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false });
}

export class RedisBudgetLedger implements BudgetLedger {
  constructor(private readonly redis: Redis, private readonly prefix = 'arbiter:budget:') {}

  async reserve(lines: BudgetLine[]): Promise<ReserveResult> {
    if (lines.length === 0) return { ok: true, used: [] };
    const keys = lines.map((line) => this.prefix + line.scope);
    const args = lines.flatMap((line) => [String(Math.round(line.limit)), String(Math.round(line.amount)), String(Math.max(1, Math.round(line.ttlMs)))]);
    const result = await this.redis.eval(reserveScript, keys.length, ...keys, ...args) as Array<number | string>;
    const failed = Number(result[0]);
    const used = result.slice(1).map(Number);
    return failed === 0 ? { ok: true, used } : { ok: false, failedIndex: failed - 1, used };
  }

  async settle(lines: SettleLine[]): Promise<void> {
    const pipeline = this.redis.pipeline();
    let any = false;
    for (const line of lines) {
      const delta = Math.round(line.actual - line.reserved);
      if (delta !== 0) {
        pipeline.incrby(this.prefix + line.scope, delta);
        any = true;
      }
    }
    if (any) await pipeline.exec();
  }

  async usage(scope: string): Promise<number> {
    return Number(await this.redis.get(this.prefix + scope) ?? 0);
  }

  async close(): Promise<void> {
    // The connection is shared and closed by its owner.
  }
}

export class RedisRateLimiter implements RateLimiter {
  constructor(private readonly redis: Redis, private readonly prefix = 'arbiter:rate:', private readonly windowMs = 60_000, private readonly now: () => number = Date.now) {}

  async consume(key: string, limit: number, cost: number, options: { force?: boolean } = {}): Promise<RateDecision> {
    const now = this.now();
    const index = Math.floor(now / this.windowMs);
    const elapsed = now - index * this.windowMs;
    const keys = [`${this.prefix}${key}:${index}`, `${this.prefix}${key}:${index - 1}`];
    const result = await this.redis.eval(rateScript, 2, ...keys, String(limit), String(Math.round(cost)), String(elapsed), String(this.windowMs), options.force ? '1' : '0') as number[];
    if (options.force || result[0] === 1) return { allowed: true, retryAfterMs: 0 };
    return slidingWindowDecision(Number(result[1]), Number(result[2]), elapsed, this.windowMs, limit, cost);
  }

  async close(): Promise<void> {
    // The connection is shared and closed by its owner.
  }
}

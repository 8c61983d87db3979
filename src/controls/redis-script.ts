/**
 * A Lua script run by its SHA (EVALSHA), loaded with EVAL the first time a server does not
 * know it (NOSCRIPT: a fresh or restarted Redis), so the source crosses the wire once per server.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export type RedisReply = string | number | null | RedisReply[];

export class RedisScript {
  readonly sha: string;

  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<RedisReply> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args) as RedisReply;
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return await redis.eval(this.source, keys.length, ...keys, ...args) as RedisReply;
    }
  }
}

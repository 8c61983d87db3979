/**
 * Shared admission on Redis: one script reserves a request's worst case on every budget scope
 * it touches and counts its rate windows, all or nothing, on Redis' clock; another settles it
 * by reservation id (a retry is a no-op). A reservation is a lease: if its replica dies, any
 * replica's reaper charges it at the reserved amount once the upstream's hard timeout is past.
 * Every reserve and settle also lands on a Redis stream that `LedgerSink` copies to SQL; when
 * Redis comes back empty, the counters are rebuilt from that ledger before anything is admitted.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ArbiterError } from '../core/errors.js';
import type { Store } from '../store/database.js';
import { openLeases, settledTotals } from '../store/budget-ledger.js';
import type { BudgetLedger, BudgetLine, RateLine, ReserveOptions, ReserveResult, SettleLine } from './budget.js';
import { slidingWindowDecision } from './rate-limit.js';
import { RedisScript, type RedisReply } from './redis-script.js';
import { reapLua, reserveLua, settleLua } from './redis-admission-lua.js';

const reserveScript = new RedisScript(reserveLua);
const settleScript = new RedisScript(settleLua);
const reapScript = new RedisScript(reapLua);

export interface RedisAdmissionOptions {
  redis: Redis;
  /** Where the ledger lives (rebuild source). */
  store: Store;
  /** Key prefix, e.g. `arbiter:` (one per deployment of Arbiter, or per test). */
  prefix: string;
  /** How long a reservation is held before a reaper may charge it: the upstream hard timeout plus slack. */
  leaseMs: number;
  /** How often this replica reaps expired leases, checks the counters and retries settles. */
  tickMs?: number;
  /** After Redis comes back empty, wait this long for in-flight ledger batches to commit before reading the ledger. */
  rebuildDelayMs?: number;
  /** How long a settled id is remembered (a settle retried later than this would count again). */
  doneTtlMs?: number;
  onError?: (error: unknown, what: string) => void;
}

type SettleStatus = 'settled' | 'duplicate' | 'orphan' | 'not_ready';

function toNumber(value: RedisReply | undefined): number {
  return typeof value === 'number' ? value : Number(value ?? 0);
}

function unavailable(cause: unknown): ArbiterError {
  return new ArbiterError('admission_unavailable', 'budgets and rate limits are kept on the shared store (Redis), which cannot be reached: requests under a budget or rate limit are refused until it is back', { cause, retryAfterMs: 1000 });
}

export class RedisAdmission implements BudgetLedger {
  readonly admitsRates = true;
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly doneTtlMs: number;
  private readonly pending = new Map<string, SettleLine[]>();
  /** This replica's open reservations: re-declared to a rebuild, whose ledger may miss the newest. */
  private readonly inflight = new Map<string, { lines: BudgetLine[]; leaseExpiresAt: number }>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private rebuilding: Promise<boolean> | undefined;

  constructor(private readonly options: RedisAdmissionOptions) {
    this.redis = options.redis;
    this.prefix = options.prefix;
    this.doneTtlMs = options.doneTtlMs ?? 2 * 86_400_000;
  }

  /** Starts the reaper/health loop (each replica runs one; every step is idempotent). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => { this.tick().catch(() => undefined); }, this.options.tickMs ?? 250);
    this.timer.unref();
  }

  async reserve(lines: BudgetLine[], options: ReserveOptions = {}): Promise<ReserveResult> {
    const rates = options.rates ?? [];
    const id = options.id ?? randomUUID();
    const args: Array<string | number> = [this.prefix, id, Math.max(1, Math.round(this.options.leaseMs)), lines.length, rates.length];
    for (const line of lines) args.push(line.scope, Math.round(line.limit), Math.round(line.amount), Math.max(1, Math.round(line.ttlMs)));
    for (const rate of rates) args.push(rate.key, Math.round(rate.limit), Math.round(rate.cost), rate.windowMs);
    let reply: RedisReply;
    try {
      reply = await reserveScript.run(this.redis, [], args);
    } catch (error) {
      throw unavailable(error);
    }
    const values = Array.isArray(reply) ? reply : [reply];
    const status = toNumber(values[0]);
    if (status === 3) {
      // Redis lost its state: rebuild the counters from the ledger, then admit again.
      if (!await this.rebuild()) throw unavailable(new Error('budget counters are being rebuilt from the ledger'));
      return this.reserve(lines, { ...options, id });
    }
    if (status === 4) throw new ArbiterError('conflict', `reservation '${id}' already exists`);
    if (status === 2) {
      const index = toNumber(values[1]);
      const rate = rates[index];
      const decision = slidingWindowDecision(toNumber(values[2]), toNumber(values[3]), toNumber(values[4]), rate?.windowMs ?? 60_000, rate?.limit ?? 0, rate?.cost ?? 0);
      return { ok: false, used: [], rate: { index, retryAfterMs: decision.retryAfterMs } };
    }
    const used = values.slice(2).map(toNumber);
    if (status === 0 && lines.length > 0) this.inflight.set(id, { lines, leaseExpiresAt: Date.now() + this.options.leaseMs });
    return status === 0 ? { ok: true, used } : { ok: false, failedIndex: toNumber(values[1]), used };
  }

  /** Settles by id; if Redis is unreachable or not rebuilt yet, the settle is kept and retried by the loop. */
  async settle(lines: SettleLine[], options: { id?: string } = {}): Promise<void> {
    const id = options.id;
    if (!id || lines.length === 0) return;
    this.inflight.delete(id);
    try {
      if (await this.settleOnce(id, lines) !== 'not_ready') return;
    } catch (error) {
      this.options.onError?.(error, 'settle');
    }
    this.pending.set(id, lines);
  }

  private async settleOnce(id: string, lines: SettleLine[]): Promise<SettleStatus> {
    const args: Array<string | number> = [this.prefix, id, this.doneTtlMs, lines.length];
    for (const line of lines) args.push(line.scope, Math.round(line.actual), Math.max(1, Math.round(line.ttlMs ?? 86_400_000)));
    const status = toNumber(await settleScript.run(this.redis, [], args));
    return status === 0 ? 'settled' : status === 1 ? 'duplicate' : status === 2 ? 'orphan' : 'not_ready';
  }

  /** Settled plus held on one scope. */
  async usage(scope: string): Promise<number> {
    const [spent, held] = await this.redis.mget(`${this.prefix}spent:${scope}`, `${this.prefix}held:${scope}`);
    return Number(spent ?? 0) + Number(held ?? 0);
  }

  /** Charges expired leases at their reserved amount; returns how many. */
  async reap(max = 500): Promise<number> {
    return toNumber(await reapScript.run(this.redis, [], [this.prefix, this.doneTtlMs, max]));
  }

  /** One round of the loop: counters present (else rebuild), reap, retry kept settles. */
  tick(): Promise<void> {
    this.ticking ??= (async () => {
      try {
        if (await this.redis.exists(`${this.prefix}ready`) === 0) {
          await this.declareInflight();
          await this.rebuild();
        }
        while (await this.reap() > 0) { /* drain a backlog in rounds */ }
        for (const [id, lines] of [...this.pending]) {
          if (await this.settleOnce(id, lines) === 'not_ready') break;
          this.pending.delete(id);
        }
      } catch (error) {
        this.options.onError?.(error, 'tick');
      } finally {
        this.ticking = undefined;
      }
    })();
    return this.ticking;
  }

  /**
   * Redis came back empty: the ledger lacks reservations whose stream entries were lost with
   * it. Each live replica declares its own open ones, which the rebuild adds to the ledger's.
   */
  private async declareInflight(): Promise<void> {
    const now = Date.now();
    const staged: string[] = [];
    for (const [id, lease] of this.inflight) {
      if (lease.leaseExpiresAt <= now) this.inflight.delete(id);
      else staged.push(id, JSON.stringify(lease));
    }
    if (staged.length > 0) await this.redis.hset(`${this.prefix}declared`, ...staged);
  }

  /** Settles waiting for Redis (tests and shutdown read it). */
  pendingSettles(): number {
    return this.pending.size;
  }

  /**
   * Restores spent totals and open leases from the ledger, then marks the counters ready.
   * One replica does it (a lock); the others keep refusing until `ready` appears. True when
   * the counters are ready on return.
   */
  rebuild(): Promise<boolean> {
    this.rebuilding ??= this.rebuildOnce().finally(() => { this.rebuilding = undefined; });
    return this.rebuilding;
  }

  private async rebuildOnce(): Promise<boolean> {
    const readyKey = `${this.prefix}ready`;
    const lockKey = `${this.prefix}rebuilding`;
    const token = randomUUID();
    if (await this.redis.set(lockKey, token, 'PX', 30_000, 'NX') !== 'OK') return false;
    try {
      // Batches a ledger sink read from the old stream may still be committing.
      const delay = this.options.rebuildDelayMs ?? 1_000;
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      const now = Date.now();
      const totals = await settledTotals(this.options.store.db, now);
      const leases = await openLeases(this.options.store.db);
      const known = new Set(leases.map((lease) => lease.reservationId));
      const declared = await this.redis.hgetall(`${this.prefix}declared`);
      for (const [id, text] of Object.entries(declared)) {
        if (known.has(id)) continue;
        const lease = JSON.parse(text) as { lines: BudgetLine[]; leaseExpiresAt: number };
        leases.push({ reservationId: id, openedAt: now, leaseExpiresAt: lease.leaseExpiresAt, lines: lease.lines.map((line) => ({ scope: line.scope, reserved: line.amount, ttlMs: line.ttlMs })) });
      }
      const held = new Map<string, { amount: number; ttlMs: number }>();
      let batch = this.redis.multi();
      let queued = 0;
      const flushIfFull = async () => {
        if (++queued < 500) return;
        await batch.exec();
        batch = this.redis.multi();
        queued = 0;
      };
      // SET, never INCRBY: a rebuild that died half-way and is redone writes the same values.
      for (const total of totals) {
        batch.set(`${this.prefix}spent:${total.scope}`, String(total.spent), 'PXAT', total.expiresAt);
        await flushIfFull();
      }
      for (const lease of leases) {
        const fields: Array<string | number> = ['n', lease.lines.length, 'at', lease.openedAt, 'exp', lease.leaseExpiresAt];
        lease.lines.forEach((line, index) => {
          fields.push(`s${index + 1}`, line.scope, `a${index + 1}`, String(line.reserved), `t${index + 1}`, line.ttlMs);
          const sum = held.get(line.scope) ?? { amount: 0, ttlMs: 0 };
          held.set(line.scope, { amount: sum.amount + line.reserved, ttlMs: Math.max(sum.ttlMs, line.ttlMs) });
        });
        batch.del(`${this.prefix}lease:${lease.reservationId}`);
        batch.hset(`${this.prefix}lease:${lease.reservationId}`, ...fields);
        batch.zadd(`${this.prefix}leases`, lease.leaseExpiresAt, lease.reservationId);
        await flushIfFull();
      }
      for (const [scope, sum] of held) {
        batch.set(`${this.prefix}held:${scope}`, String(sum.amount), 'PX', sum.ttlMs);
        await flushIfFull();
      }
      batch.del(`${this.prefix}declared`);
      batch.set(readyKey, JSON.stringify({ rebuiltAt: now, scopes: totals.length, leases: leases.length }));
      await batch.exec();
      return true;
    } finally {
      // Only our own lock: compare and delete in one step.
      await this.redis.eval("if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0", 1, lockKey, token).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.ticking;
    // One last try for settles still waiting; what remains is reaped at its reservation.
    for (const [id, lines] of [...this.pending]) {
      try {
        if (await this.settleOnce(id, lines) !== 'not_ready') this.pending.delete(id);
      } catch {
        break;
      }
    }
  }
}

export type { RateLine };

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
import { applyLedgerWrites, openLeases, settledTotals, type LedgerWrite } from '../store/budget-ledger.js';
import type { BudgetLedger, BudgetLine, RateLine, ReserveOptions, ReserveResult, SettleLine } from './budget.js';
import { slidingWindowDecision } from './rate-limit.js';
import { RedisScript, type RedisReply } from './redis-script.js';
import { chargeLostLua, reapLua, reserveLua, settleLua } from './redis-admission-lua.js';

const reserveScript = new RedisScript(reserveLua);
const settleScript = new RedisScript(settleLua);
const reapScript = new RedisScript(reapLua);
const chargeLostScript = new RedisScript(chargeLostLua);

/** How long this replica remembers its own settles, to declare them to a rebuild whose ledger lags. */
const RECENT_MS = 120_000;

type Declared = { kind: 'open'; lines: BudgetLine[]; leaseExpiresAt: number } | { kind: 'settled'; lines: SettleLine[] };

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
  /** This replica's settles of the last RECENT_MS (the ledger sink may not have written them when Redis dies). */
  private readonly recent = new Map<string, { lines: SettleLine[]; at: number }>();
  private lastLedgerReap = 0;
  /** What this replica added to each rate window (`key`, window index): declared to a rebuild, the ledger has no windows. */
  private readonly windows = new Map<string, { key: string; index: number; windowMs: number; added: number }>();
  private readonly replicaId = randomUUID();
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
      // Redis lost its state: declare ours, rebuild the counters from the ledger, then admit again.
      await this.declareInflight().catch(() => undefined);
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
    if (status === 0) this.countWindows(rates, toNumber(values[1]));
    return status === 0 ? { ok: true, used } : { ok: false, failedIndex: toNumber(values[1]), used };
  }

  /** Settles by id; if Redis is unreachable or not rebuilt yet, the settle is kept and retried by the loop. */
  async settle(lines: SettleLine[], options: { id?: string } = {}): Promise<void> {
    const id = options.id;
    if (!id || lines.length === 0) return;
    this.inflight.delete(id);
    try {
      if (await this.settleOnce(id, lines) !== 'not_ready') {
        this.recent.set(id, { lines, at: Date.now() });
        return;
      }
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
          this.recent.set(id, { lines, at: Date.now() });
        }
        const now = Date.now();
        for (const [id, entry] of this.recent) {
          if (entry.at > now - RECENT_MS) break;
          this.recent.delete(id);
        }
        if (now - this.lastLedgerReap >= 5_000) {
          this.lastLedgerReap = now;
          await this.reapLedger();
        }
      } catch (error) {
        this.options.onError?.(error, 'tick');
      } finally {
        this.ticking = undefined;
      }
    })();
    return this.ticking;
  }

  private countWindows(rates: readonly RateLine[], redisNow: number): void {
    for (const rate of rates) {
      if (rate.cost <= 0) continue;
      const index = Math.floor(redisNow / rate.windowMs);
      const id = `${rate.key}|${index}`;
      const window = this.windows.get(id);
      if (window) window.added += Math.round(rate.cost);
      else this.windows.set(id, { key: rate.key, index, windowMs: rate.windowMs, added: Math.round(rate.cost) });
    }
    if (this.windows.size > 10_000) this.pruneWindows(redisNow);
  }

  private pruneWindows(now: number): void {
    for (const [id, window] of this.windows) if (window.index < Math.floor(now / window.windowMs) - 1) this.windows.delete(id);
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
      else staged.push(id, JSON.stringify({ kind: 'open', ...lease } satisfies Declared));
    }
    for (const [id, entry] of this.recent) staged.push(id, JSON.stringify({ kind: 'settled', lines: entry.lines } satisfies Declared));
    for (let index = 0; index < staged.length; index += 1_000) await this.redis.hset(`${this.prefix}declared`, ...staged.slice(index, index + 1_000));
    // Per replica, so declaring again (every tick until the rebuild) overwrites instead of adding.
    this.pruneWindows(now);
    const windows: Array<string | number> = [];
    for (const window of this.windows.values()) windows.push(`${this.replicaId}|${window.key}|${window.index}|${window.windowMs}`, window.added);
    if (windows.length > 0) await this.redis.hset(`${this.prefix}declared-windows`, ...windows);
  }

  /**
   * Reservations the SQL ledger holds open past their lease while Redis knows nothing of
   * them (lost with a Redis restart after the rebuild read the ledger) are charged their
   * reservation. Any replica may run it: the settled marker makes it idempotent.
   */
  async reapLedger(graceMs = 5_000): Promise<number> {
    const leases = await openLeases(this.options.store.db, { expiredBefore: Date.now() - graceMs, limit: 2_000 });
    let charged = 0;
    for (const lease of leases) {
      const args: Array<string | number> = [this.prefix, lease.reservationId, this.doneTtlMs, lease.lines.length];
      for (const line of lease.lines) args.push(line.scope, line.reserved, line.ttlMs);
      const status = toNumber(await chargeLostScript.run(this.redis, [], args));
      if (status === 3) break;
      if (status === 2) charged++;
    }
    return charged;
  }

  /** The live replicas' window counts summed per `key|index|windowMs`. */
  private async declaredWindows(): Promise<Map<string, number>> {
    const sums = new Map<string, number>();
    for (const [field, added] of Object.entries(await this.redis.hgetall(`${this.prefix}declared-windows`))) {
      const window = field.slice(field.indexOf('|') + 1);
      sums.set(window, (sums.get(window) ?? 0) + Number(added));
    }
    return sums;
  }

  /** What live replicas declared, written to the ledger so it is complete before it is read. */
  private async applyDeclared(now: number): Promise<void> {
    const declared = await this.redis.hgetall(`${this.prefix}declared`);
    const writes: LedgerWrite[] = [];
    for (const [id, text] of Object.entries(declared)) {
      const entry = JSON.parse(text) as Declared;
      if (entry.kind === 'open') {
        for (const line of entry.lines) writes.push({ type: 'reserve', row: { reservationId: id, scope: line.scope, reserved: Math.round(line.amount), openedAt: now, leaseExpiresAt: entry.leaseExpiresAt, expiresAt: now + line.ttlMs } });
      } else {
        for (const line of entry.lines) writes.push({ type: 'settle', row: { reservationId: id, scope: line.scope, reserved: Math.round(line.reserved), actual: Math.round(line.actual), state: 'settled', settledAt: now, expiresAt: now + (line.ttlMs ?? 86_400_000) } });
      }
    }
    await applyLedgerWrites(this.options.store.db, writes);
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
      await this.declareInflight();
      // Batches a ledger sink read from the old stream may still be committing.
      const delay = this.options.rebuildDelayMs ?? 1_500;
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      const now = Date.now();
      await this.applyDeclared(now);
      const totals = await settledTotals(this.options.store.db, now);
      const leases = await openLeases(this.options.store.db);
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
      for (const [window, added] of await this.declaredWindows()) {
        const [key, index, windowMs] = window.split('|');
        batch.set(`${this.prefix}rate:${key}:${index}`, String(added), 'PX', Number(windowMs) * 2);
        await flushIfFull();
      }
      batch.del(`${this.prefix}declared`, `${this.prefix}declared-windows`);
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

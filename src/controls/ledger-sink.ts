/**
 * Copies the admission stream (`<prefix>ledger`) into the SQL ledger off the request path:
 * a consumer group shared by every replica reads batches, writes each batch in one
 * transaction keyed by (reservation, scope), and only then acknowledges and deletes the
 * entries. A replica killed between commit and XACK leaves them pending; another replica
 * claims them after `claimIdleMs` and writes them again, which the keys make harmless.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Store } from '../store/database.js';
import { applyLedgerWrites, type LedgerWrite } from '../store/budget-ledger.js';
import type { LedgerState } from '../store/tables/ledger.js';

export interface LedgerSinkOptions {
  /** A connection of its own: XREADGROUP blocks it. */
  redis: Redis;
  store: Store;
  prefix: string;
  batchSize?: number;
  blockMs?: number;
  /** Entries another consumer read but did not acknowledge for this long are taken over. */
  claimIdleMs?: number;
  onError?: (error: unknown) => void;
}

const GROUP = 'arbiter-ledger';

type StreamEntry = [id: string, fields: string[]];

function fieldMap(fields: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (let index = 0; index + 1 < fields.length; index += 2) map.set(fields[index] ?? '', fields[index + 1] ?? '');
  return map;
}

function settleState(how: string | undefined): Exclude<LedgerState, 'open'> {
  switch (how) {
    case 'reaped': return 'reaped';
    case 'orphan': return 'orphan';
    default: return 'settled';
  }
}

/** The SQL writes of one stream entry; an entry it cannot read yields none (and is acknowledged). */
export function ledgerWritesOf(fields: readonly string[]): LedgerWrite[] {
  const map = fieldMap(fields);
  const id = map.get('id');
  const at = Number(map.get('at'));
  let lines: unknown;
  try {
    lines = JSON.parse(map.get('lines') ?? '[]');
  } catch {
    return [];
  }
  if (!id || !Number.isFinite(at) || !Array.isArray(lines)) return [];
  const writes: LedgerWrite[] = [];
  for (const line of lines) {
    if (!Array.isArray(line)) continue;
    if (map.get('type') === 'reserve') {
      const [scope, amount, ttl] = line as [string, string, string];
      writes.push({ type: 'reserve', row: { reservationId: id, scope, reserved: Number(amount), openedAt: at, leaseExpiresAt: Number(map.get('exp') ?? at), expiresAt: at + Number(ttl) } });
    } else if (map.get('type') === 'settle') {
      const [scope, reserved, actual, ttl] = line as [string, string, string, string];
      writes.push({ type: 'settle', row: { reservationId: id, scope, reserved: Number(reserved), actual: Number(actual), state: settleState(map.get('how')), settledAt: at, expiresAt: at + Number(ttl) } });
    }
  }
  return writes;
}

export class LedgerSink {
  private readonly stream: string;
  private readonly consumer = `replica-${process.pid}-${randomUUID().slice(0, 8)}`;
  private running = false;
  private loop: Promise<void> | undefined;
  private groupReady = false;

  constructor(private readonly options: LedgerSinkOptions) {
    this.stream = `${options.prefix}ledger`;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  private async ensureGroup(): Promise<void> {
    if (this.groupReady) return;
    try {
      await this.options.redis.call('XGROUP', 'CREATE', this.stream, GROUP, '0', 'MKSTREAM');
    } catch (error) {
      if (!(error instanceof Error) || !error.message.includes('BUSYGROUP')) throw error;
    }
    this.groupReady = true;
  }

  private async run(): Promise<void> {
    let lastClaim = 0;
    while (this.running) {
      try {
        await this.ensureGroup();
        if (Date.now() - lastClaim >= (this.options.claimIdleMs ?? 5_000) / 2) {
          lastClaim = Date.now();
          await this.claimStale();
        }
        await this.drainOnce(this.options.blockMs ?? 500);
      } catch (error) {
        // NOGROUP after a Redis restart: the group (and stream) must be made again.
        this.groupReady = false;
        if (!this.running) break;
        this.options.onError?.(error);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }

  /** Reads one batch (waiting up to `blockMs` for one) and writes it; returns how many entries. */
  async drainOnce(blockMs = 0): Promise<number> {
    await this.ensureGroup();
    const reply = await this.options.redis.call('XREADGROUP', 'GROUP', GROUP, this.consumer, 'COUNT', this.options.batchSize ?? 500,
      ...(blockMs > 0 ? ['BLOCK', blockMs] : []), 'STREAMS', this.stream, '>') as Array<[string, StreamEntry[]]> | null;
    const entries = reply?.[0]?.[1] ?? [];
    await this.commit(entries);
    return entries.length;
  }

  private async claimStale(): Promise<void> {
    let cursor = '0-0';
    do {
      const reply = await this.options.redis.call('XAUTOCLAIM', this.stream, GROUP, this.consumer, this.options.claimIdleMs ?? 5_000, cursor, 'COUNT', this.options.batchSize ?? 500) as [string, Array<StreamEntry | null>];
      cursor = reply[0];
      await this.commit(reply[1].filter((entry): entry is StreamEntry => Array.isArray(entry)));
    } while (cursor !== '0-0' && this.running);
  }

  private async commit(entries: readonly StreamEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await applyLedgerWrites(this.options.store.db, entries.flatMap(([, fields]) => ledgerWritesOf(fields)));
    const ids = entries.map(([id]) => id);
    await this.options.redis.multi().xack(this.stream, GROUP, ...ids).xdel(this.stream, ...ids).exec();
  }

  async close(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}

/**
 * Virtual keys: `arb_` + 32 random base64url characters. Only the SHA-256 hash is stored; the
 * hot path is one Map lookup by hash, refreshed from SQL periodically so keys created or
 * revoked by another process (the CLI) take effect without a restart.
 */
import { sha256Hex } from '../core/sha256.js';
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { ArbiterError } from '../core/errors.js';
import type { Store } from '../store/database.js';
import type { VirtualKeysTable } from '../store/tables/controls.js';
import type { BudgetSpec } from './specs.js';

export interface VirtualKey {
  id: string;
  hash: string;
  prefix: string;
  name: string;
  route: string | null;
  budgets: BudgetSpec[];
  rpm: number | null;
  tpm: number | null;
  /** null = every tool allowed. */
  allowedTools: string[] | null;
  toolCallsPerMinute: number | null;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
}

export interface CreateKeyInput {
  name: string;
  route?: string | null;
  budgets?: BudgetSpec[];
  rpm?: number | null;
  tpm?: number | null;
  allowedTools?: string[] | null;
  toolCallsPerMinute?: number | null;
  expiresAt?: number | null;
}

export const KEY_PREFIX = 'arb_';

export function generateKey(): string {
  // 24 random bytes are exactly 32 base64url characters.
  return KEY_PREFIX + randomBytes(24).toString('base64url');
}

export function hashKey(key: string): string {
  return sha256Hex(key);
}

/** Constant-time comparison against the master key; false when none is configured. */
export function isMasterKey(token: string | undefined, masterKey: string | undefined): boolean {
  if (!token || !masterKey) return false;
  const a = createHash('sha256').update(token).digest();
  const b = createHash('sha256').update(masterKey).digest();
  return timingSafeEqual(a, b);
}

export function bearerToken(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return match?.[1];
}

function fromRow(row: VirtualKeysTable): VirtualKey {
  return {
    id: row.id,
    hash: row.key_hash,
    prefix: row.key_prefix,
    name: row.name,
    route: row.route,
    budgets: JSON.parse(row.budgets_json) as BudgetSpec[],
    rpm: row.rpm,
    tpm: row.tpm,
    allowedTools: row.allowed_tools_json === null ? null : JSON.parse(row.allowed_tools_json) as string[],
    toolCallsPerMinute: row.tool_calls_per_minute,
    createdAt: Number(row.created_at),
    expiresAt: row.expires_at === null ? null : Number(row.expires_at),
    revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
  };
}

export interface KeyServiceOptions {
  now?: () => number;
  /** How often the in-memory index is reloaded from SQL (0 = never). */
  refreshMs?: number;
}

export class KeyService {
  private readonly byHash = new Map<string, VirtualKey>();
  private readonly byId = new Map<string, VirtualKey>();
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private activeCount = 0;

  constructor(private readonly store: Store, options: KeyServiceOptions = {}) {
    this.now = options.now ?? Date.now;
    const refreshMs = options.refreshMs ?? 0;
    if (refreshMs > 0) {
      this.timer = setInterval(() => { this.load().catch(() => undefined); }, refreshMs);
      this.timer.unref();
    }
  }

  private lastLoadAt = Number.NEGATIVE_INFINITY;
  private reloading: Promise<void> | undefined;

  /**
   * Reloads unless the index was loaded within `minAgeMs`: a key made by `arbiter keys
   * create` in another process works on its first request instead of after the next
   * periodic refresh, while a flood of bad keys costs at most one query per interval.
   */
  async refreshIfStale(minAgeMs = 250): Promise<void> {
    if (this.now() - this.lastLoadAt < minAgeMs) return;
    this.reloading ??= this.load().finally(() => { this.reloading = undefined; });
    await this.reloading;
  }

  /** Loads (or reloads) every key into the in-memory index. */
  async load(): Promise<void> {
    this.lastLoadAt = this.now();
    const rows = await this.store.db.selectFrom('virtual_keys').selectAll().execute();
    this.byHash.clear();
    this.byId.clear();
    for (const row of rows) this.index(fromRow(row));
    this.activeCount = rows.filter((row) => row.revoked_at === null).length;
  }

  private index(key: VirtualKey): void {
    this.byHash.set(key.hash, key);
    this.byId.set(key.id, key);
  }

  /** The in-memory record for an id (after `authenticate` set ctx.vars.keyId). */
  byKeyId(id: string): VirtualKey | undefined {
    return this.byId.get(id);
  }

  /** True when at least one (unrevoked) key exists: the gateway then requires keys. */
  hasKeys(): boolean {
    return this.activeCount > 0;
  }

  async create(input: CreateKeyInput): Promise<{ key: string; record: VirtualKey }> {
    const key = generateKey();
    const row: VirtualKeysTable = {
      id: `key_${randomUUID().replace(/-/g, '').slice(0, 16)}`,
      key_hash: hashKey(key),
      key_prefix: key.slice(0, 8),
      name: input.name,
      route: input.route ?? null,
      budgets_json: JSON.stringify(input.budgets ?? []),
      rpm: input.rpm ?? null,
      tpm: input.tpm ?? null,
      allowed_tools_json: input.allowedTools == null ? null : JSON.stringify(input.allowedTools),
      tool_calls_per_minute: input.toolCallsPerMinute ?? null,
      created_at: this.now(),
      expires_at: input.expiresAt ?? null,
      revoked_at: null,
    };
    await this.store.db.insertInto('virtual_keys').values(row).execute();
    const record = fromRow(row);
    this.index(record);
    this.activeCount += 1;
    return { key, record };
  }

  async list(): Promise<VirtualKey[]> {
    const rows = await this.store.db.selectFrom('virtual_keys').selectAll().orderBy('created_at', 'asc').execute();
    return rows.map(fromRow);
  }

  async get(id: string): Promise<VirtualKey | undefined> {
    const row = await this.store.db.selectFrom('virtual_keys').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? fromRow(row) : undefined;
  }

  /** Revokes by id; the in-process index forgets the key at once. */
  async revoke(id: string): Promise<boolean> {
    const at = this.now();
    const result = await this.store.db.updateTable('virtual_keys').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    for (const key of [...this.byHash.values()]) {
      if (key.id === id && key.revokedAt === null) {
        this.index({ ...key, revokedAt: at });
        this.activeCount -= 1;
      }
    }
    return Number(result.numUpdatedRows) > 0;
  }

  /** New secret, same settings; the old key is revoked. */
  async rotate(id: string): Promise<{ key: string; record: VirtualKey }> {
    const old = await this.get(id);
    if (!old) throw new Error(`no key with id '${id}'`);
    if (old.revokedAt !== null) throw new Error(`key '${id}' is revoked`);
    const created = await this.create({
      name: old.name, route: old.route, budgets: old.budgets, rpm: old.rpm, tpm: old.tpm,
      allowedTools: old.allowedTools, toolCallsPerMinute: old.toolCallsPerMinute, expiresAt: old.expiresAt,
    });
    await this.revoke(id);
    return created;
  }

  /** The key behind an `Authorization: Bearer arb_...` header; throws 401 otherwise. */
  authenticate(authorization: string | undefined): VirtualKey {
    const token = bearerToken(authorization);
    if (!token) throw new ArbiterError('invalid_api_key', 'Missing API key: send "Authorization: Bearer arb_..." with an Arbiter virtual key.');
    const key = this.byHash.get(hashKey(token));
    if (!key) throw new ArbiterError('invalid_api_key', 'Invalid API key.');
    if (key.revokedAt !== null) throw new ArbiterError('invalid_api_key', 'This API key has been revoked.');
    if (key.expiresAt !== null && key.expiresAt <= this.now()) throw new ArbiterError('invalid_api_key', 'This API key has expired.');
    return key;
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

/**
 * N long-lived fork servers, one per slot. A task waits for a free slot, runs on that slot's
 * server, and gives the slot back. A server that crashed or overran its task is killed and a
 * replacement started for the slot, so one task can never take the pool down.
 */
import { randomUUID } from 'node:crypto';
import { logger } from '../../telemetry/logger.js';
import { resolveLimits, type SandboxLimits } from './limits.js';
import { failedResult, type SandboxResult } from './sandbox-result.js';
import type { Sandbox, SandboxRunOptions } from './sandbox.js';
import type { ServerProcess } from './server-process.js';
import { SlotQueue } from './slot-queue.js';

export interface WarmPoolOptions {
  size: number;
  isolated: boolean;
  limits: SandboxLimits;
  /** Starts the server for a slot (same slot, same uid). */
  startServer: (slot: number) => ServerProcess;
}

export class WarmPool implements Sandbox {
  readonly mode = 'warm' as const;
  readonly isolated: boolean;
  readonly workers: number;
  private readonly servers: Array<ServerProcess | null>;
  private readonly slots: SlotQueue;
  private closed = false;

  constructor(private readonly options: WarmPoolOptions) {
    this.isolated = options.isolated;
    this.workers = options.size;
    this.servers = Array.from({ length: options.size }, () => null);
    this.slots = new SlotQueue(options.size);
  }

  /** Starts every server; rejects (after stopping them) if any fails to come up. */
  async start(): Promise<void> {
    const started = this.servers.map((_, slot) => this.serverFor(slot));
    try {
      await Promise.all(started.map((server) => server.ready));
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  async run(program: string, options: SandboxRunOptions = {}): Promise<SandboxResult> {
    if (this.closed) return failedResult('sandbox is closed', 0);
    const { stdin, ...limits } = options;
    const task = { id: randomUUID(), program, limits: resolveLimits(this.options.limits, limits), ...(stdin ? { stdin } : {}) };
    const slot = await this.slots.acquire();
    try {
      let server = this.serverFor(slot);
      try {
        await server.ready;
      } catch {
        // The slot's server died before taking work: one fresh attempt, then report.
        this.discard(slot);
        server = this.serverFor(slot);
        try {
          await server.ready;
        } catch (error) {
          this.discard(slot);
          return failedResult((error as Error).message, 0);
        }
      }
      const result = await server.run(task);
      if (result.error !== undefined || !server.alive) {
        logger.warn({ slot, error: result.error }, 'sandbox worker replaced');
        this.discard(slot);
        if (!this.closed) this.serverFor(slot);
      }
      return result;
    } finally {
      this.slots.release(slot);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.servers.map((server) => server?.close()));
    this.servers.fill(null);
  }

  private serverFor(slot: number): ServerProcess {
    const existing = this.servers[slot];
    if (existing && existing.alive) return existing;
    const server = this.options.startServer(slot);
    // A replacement that never comes up is reported by the next task on this slot.
    server.ready.catch(() => undefined);
    this.servers[slot] = server;
    return server;
  }

  private discard(slot: number): void {
    this.servers[slot]?.kill();
    this.servers[slot] = null;
  }
}

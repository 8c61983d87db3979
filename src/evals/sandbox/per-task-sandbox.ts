/**
 * The slow, simple mode: every task starts its own bwrap + Python (the same server in one-shot
 * mode), so nothing survives between tasks. Kept as the yardstick the warm pool is measured
 * against, and as a fallback when long-lived workers are unwanted.
 */
import { randomUUID } from 'node:crypto';
import { resolveLimits, type SandboxLimits } from './limits.js';
import { failedResult, type SandboxResult } from './sandbox-result.js';
import type { Sandbox, SandboxRunOptions } from './sandbox.js';
import type { ServerProcess } from './server-process.js';
import { SlotQueue } from './slot-queue.js';

export interface PerTaskSandboxOptions {
  size: number;
  isolated: boolean;
  limits: SandboxLimits;
  startServer: (slot: number) => ServerProcess;
}

export class PerTaskSandbox implements Sandbox {
  readonly mode = 'per-task' as const;
  readonly isolated: boolean;
  readonly workers: number;
  private readonly slots: SlotQueue;
  private readonly running = new Set<ServerProcess>();
  private closed = false;

  constructor(private readonly options: PerTaskSandboxOptions) {
    this.isolated = options.isolated;
    this.workers = options.size;
    this.slots = new SlotQueue(options.size);
  }

  async run(program: string, options: SandboxRunOptions = {}): Promise<SandboxResult> {
    if (this.closed) return failedResult('sandbox is closed', 0);
    const { stdin, ...limits } = options;
    const task = { id: randomUUID(), program, limits: resolveLimits(this.options.limits, limits), ...(stdin ? { stdin } : {}) };
    const slot = await this.slots.acquire();
    const server = this.options.startServer(slot);
    this.running.add(server);
    try {
      await server.ready;
      return await server.run(task);
    } catch (error) {
      return failedResult((error as Error).message, 0);
    } finally {
      await server.close();
      this.running.delete(server);
      this.slots.release(slot);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.running].map((server) => server.close()));
  }
}

/**
 * One running fork server (inside bwrap or not) and the single task it may have in flight.
 * If the server dies or overruns the task's wall limit by more than `graceMs`, the task fails
 * with `error` set and the process is killed; the pool then starts a replacement.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { encodeFrame, FrameDecoder } from './frame-codec.js';
import type { SandboxLimits } from './limits.js';
import { failedResult, serverResultSchema, toSandboxResult, type SandboxResult } from './sandbox-result.js';
import type { ServerLaunch } from './server-launch.js';

export interface ServerTask {
  id: string;
  program: string;
  stdin?: string;
  limits: SandboxLimits;
}

interface Pending {
  id: string;
  started: number;
  timer: NodeJS.Timeout;
  resolve: (result: SandboxResult) => void;
}

const stderrTailBytes = 4096;

export class ServerProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly decoder = new FrameDecoder();
  private pending: Pending | null = null;
  private stderrTail = '';
  private exited = false;
  readonly ready: Promise<void>;
  private onReady: (() => void) | null = null;
  private onReadyFailed: ((error: Error) => void) | null = null;

  constructor(launch: ServerLaunch, private readonly graceMs = 5000, startTimeoutMs = 20_000) {
    this.child = spawn(launch.command, launch.args, { env: launch.env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.ready = new Promise<void>((resolve, reject) => {
      this.onReady = resolve;
      this.onReadyFailed = reject;
    });
    const startTimer = setTimeout(() => {
      this.fail(`did not start within ${startTimeoutMs} ms`);
      this.kill();
    }, startTimeoutMs);
    this.ready.then(() => clearTimeout(startTimer), () => clearTimeout(startTimer));
    this.child.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-stderrTailBytes);
    });
    this.child.stdin.on('error', () => undefined);
    this.child.on('error', (error) => {
      this.exited = true;
      this.fail(error.message);
    });
    this.child.on('exit', (code, signal) => {
      this.exited = true;
      this.fail(`exited (${signal ?? `code ${code}`})`);
    });
  }

  get alive(): boolean {
    return !this.exited;
  }

  get busy(): boolean {
    return this.pending !== null;
  }

  /** Resolves with the task's result; never rejects (sandbox failures become `error`). */
  run(task: ServerTask): Promise<SandboxResult> {
    if (this.exited) return Promise.resolve(failedResult(`sandbox worker unavailable: ${this.describeExit()}`, 0));
    if (this.pending) throw new Error('ServerProcess runs one task at a time');
    return new Promise<SandboxResult>((resolve) => {
      const started = performance.now();
      const timer = setTimeout(() => {
        this.settle(failedResult(`sandbox worker did not answer within ${task.limits.wallMs + this.graceMs} ms; worker killed`, performance.now() - started, true));
        this.kill();
      }, task.limits.wallMs + this.graceMs);
      this.pending = { id: task.id, started, timer, resolve };
      this.child.stdin.write(encodeFrame(task));
    });
  }

  /** Closes stdin (the server exits on EOF) and kills it if it lingers. */
  async close(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin.end();
    const timer = setTimeout(() => this.kill(), 1000);
    await exited;
    clearTimeout(timer);
  }

  kill(): void {
    if (!this.exited && this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  private onData(chunk: Buffer): void {
    let messages: unknown[];
    try {
      messages = this.decoder.push(chunk);
    } catch (error) {
      this.fail(`sent an unreadable frame: ${(error as Error).message}`);
      this.kill();
      return;
    }
    for (const message of messages) this.onMessage(message);
  }

  private onMessage(message: unknown): void {
    if (typeof message === 'object' && message !== null && 'ready' in message) {
      this.onReady?.();
      this.onReady = null;
      this.onReadyFailed = null;
      return;
    }
    const parsed = serverResultSchema.safeParse(message);
    if (!parsed.success || !this.pending || parsed.data.id !== this.pending.id) {
      this.fail('sent an unexpected message');
      this.kill();
      return;
    }
    this.settle(toSandboxResult(parsed.data));
  }

  private settle(result: SandboxResult): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = null;
    clearTimeout(pending.timer);
    pending.resolve(result);
  }

  private describeExit(): string {
    const tail = this.stderrTail.trim();
    return tail ? tail.split('\n').slice(-3).join(' | ') : 'no stderr';
  }

  private fail(reason: string): void {
    const detail = `sandbox worker ${reason}: ${this.describeExit()}`;
    this.onReadyFailed?.(new Error(detail));
    this.onReady = null;
    this.onReadyFailed = null;
    if (this.pending) this.settle(failedResult(detail, performance.now() - this.pending.started));
  }
}

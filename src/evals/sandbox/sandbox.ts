/** The sandbox contract: run an untrusted Python program under limits, get what it did. */
import type { SandboxLimits } from './limits.js';
import type { SandboxResult } from './sandbox-result.js';

export type { SandboxLimits } from './limits.js';
export type { SandboxResult } from './sandbox-result.js';

/** `warm`: long-lived fork servers, one fork per task. `per-task`: a fresh bwrap + Python per task. */
export type SandboxMode = 'warm' | 'per-task';

export interface SandboxRunOptions extends Partial<SandboxLimits> {
  /** Text fed to the program's stdin (empty by default). */
  stdin?: string;
}

export interface Sandbox {
  readonly mode: SandboxMode;
  /** False only for `unsafeNoSandbox`: rlimits without bubblewrap. */
  readonly isolated: boolean;
  readonly workers: number;
  run(program: string, limits?: SandboxRunOptions): Promise<SandboxResult>;
  close(): Promise<void>;
}

export interface SandboxOptions {
  mode?: SandboxMode;
  /** Concurrent tasks (warm: server processes). Default: CPU count. */
  workers?: number;
  /** Defaults for every run; per-run options override them. */
  limits?: Partial<SandboxLimits>;
  /** Run without bubblewrap (CLI `--unsafe-no-sandbox`). Never the default. */
  unsafeNoSandbox?: boolean;
  /** Python command or path; resolved to the real interpreter (pyenv shims are followed). */
  python?: string;
  /** Path to bwrap; found on PATH otherwise. */
  bwrapPath?: string;
  /** Size cap of each worker's private task directory (a tmpfs in host memory). Default 128 MiB. */
  workDirBytes?: number;
  /** First uid handed to tasks when running as root (one per worker slot). */
  uidBase?: number;
}

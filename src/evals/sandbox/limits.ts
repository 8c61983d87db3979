/**
 * Resource limits for one sandboxed program. Defaults follow human-eval's harness: a
 * 3-second timeout per program (`check_correctness(..., timeout=3.0)`,
 * https://github.com/openai/human-eval/blob/master/human_eval/execution.py); memory and
 * process caps are ours, sized so every HumanEval canonical solution passes with room.
 */
export interface SandboxLimits {
  /** RLIMIT_CPU: CPU seconds before SIGXCPU. */
  cpuSeconds: number;
  /** Wall-clock deadline; the task's whole process group is killed at it. */
  wallMs: number;
  /** RLIMIT_AS: address space in bytes (Python raises MemoryError past it). */
  memoryBytes: number;
  /** RLIMIT_NPROC for the task's uid: processes and threads the task may have at once. */
  maxProcesses: number;
  /** Per stream: stdout and stderr are each kept up to this; more kills the task. */
  maxOutputBytes: number;
  /** RLIMIT_FSIZE: the largest file the task may write. */
  maxFileBytes: number;
}

export const defaultSandboxLimits: Readonly<SandboxLimits> = Object.freeze({
  cpuSeconds: 3,
  wallMs: 3000,
  memoryBytes: 512 * 1024 * 1024,
  maxProcesses: 16,
  maxOutputBytes: 1024 * 1024,
  maxFileBytes: 16 * 1024 * 1024,
});

/** Later layers win field by field; every value must be a positive finite number. */
export function resolveLimits(...layers: ReadonlyArray<Partial<SandboxLimits> | undefined>): SandboxLimits {
  const merged: SandboxLimits = { ...defaultSandboxLimits };
  for (const layer of layers) {
    if (!layer) continue;
    for (const key of Object.keys(defaultSandboxLimits) as Array<keyof SandboxLimits>) {
      const value = layer[key];
      if (value === undefined) continue;
      if (!Number.isFinite(value) || value <= 0) throw new RangeError(`sandbox limit ${key} must be a positive number, got ${value}`);
      merged[key] = value;
    }
  }
  return merged;
}

/**
 * Builds a sandbox: bubblewrap when present (refusing to run without it unless the caller
 * explicitly passed `unsafeNoSandbox`), the real Python interpreter, one uid per worker slot
 * when we are root, and a start-up self-test so a broken setup fails here, not on task 1.
 */
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArbiterError } from '../../core/errors.js';
import { logger } from '../../telemetry/logger.js';
import { countUserTasks } from './count-user-tasks.js';
import { bwrapSupportsTmpfsSize, findBwrap, missingBwrapMessage } from './find-bwrap.js';
import { resolveLimits } from './limits.js';
import { PerTaskSandbox } from './per-task-sandbox.js';
import { resolvePythonInterpreter } from './python-interpreter.js';
import type { Sandbox, SandboxOptions } from './sandbox.js';
import { ancestors, buildBwrapLaunch, buildUnsafeLaunch, readHostLayout, type ServerConfig } from './server-launch.js';
import { ServerProcess } from './server-process.js';
import { WarmPool } from './warm-pool.js';

/** Far above the uids distributions hand to people and services, below nobody (65534). */
export const defaultUidBase = 60100;

/** Room for what a test program writes (HumanEval writes nothing), small enough that every worker's tmpfs together stays a rounding error of RAM. */
export const defaultWorkDirBytes = 128 * 1024 * 1024;

/** Headroom over the uid's current task count for the server itself and its helpers. */
const nprocHeadroom = 8;

export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const unsafe = options.unsafeNoSandbox === true;
  const bwrap = unsafe ? null : findBwrap(options.bwrapPath);
  if (!unsafe && bwrap === null) throw new ArbiterError('internal_error', missingBwrapMessage);
  const python = resolvePythonInterpreter(options.python);
  const uid = process.getuid?.() ?? -1;
  const asRoot = uid === 0;
  // Tasks get their own uid when we are root; on the host (unsafe mode) only if that uid can
  // still read the interpreter (a pyenv under /root, mode 0700, it cannot).
  const dropUid = asRoot && (bwrap !== null || python.prefixes.every(isWorldTraversable));
  if (asRoot && !dropUid) logger.warn('unsafe sandbox as root: tasks keep uid 0, so the process-count limit cannot be enforced');
  const size = Math.max(1, Math.floor(options.workers ?? availableParallelism()));
  const limits = resolveLimits(options.limits);
  const hostRoot = unsafe ? mkdtempSync(join(tmpdir(), 'arbiter-sandbox-')) : null;
  // Tasks running under their own uid must get through to their slot directory.
  if (hostRoot && dropUid) chmodSync(hostRoot, 0o711);
  const layout = bwrap ? readHostLayout() : [];
  const tmpfsBytes = bwrap && bwrapSupportsTmpfsSize(bwrap) ? options.workDirBytes ?? defaultWorkDirBytes : null;
  if (bwrap && tmpfsBytes === null) logger.warn('bubblewrap has no --size (older than 0.8.0): the task directory is not size-capped');

  const configFor = (slot: number, oneShot: boolean): ServerConfig => ({
    workRoot: hostRoot ? join(hostRoot, `slot-${slot}`) : '/tmp',
    uid: dropUid ? (options.uidBase ?? defaultUidBase) + slot : null,
    nprocBase: dropUid ? 0 : countUserTasks(uid) + nprocHeadroom,
    privatePidNs: bwrap !== null,
    oneShot,
  });
  const launcher = (oneShot: boolean) => (slot: number) => {
    const config = configFor(slot, oneShot);
    const launch = bwrap ? buildBwrapLaunch({ bwrap, python, config, asRoot, layout, tmpfsBytes }) : buildUnsafeLaunch(python, config);
    return new ServerProcess(launch);
  };

  const common = { size, isolated: !unsafe, limits };
  let sandbox: Sandbox;
  if (options.mode === 'per-task') {
    sandbox = new PerTaskSandbox({ ...common, startServer: launcher(true) });
  } else {
    const pool = new WarmPool({ ...common, startServer: launcher(false) });
    try {
      await pool.start();
    } catch (error) {
      if (hostRoot) rmSync(hostRoot, { recursive: true, force: true });
      throw new ArbiterError('internal_error', `The code sandbox could not start: ${(error as Error).message}`, { cause: error });
    }
    sandbox = pool;
  }
  if (hostRoot) sandbox = withCleanup(sandbox, hostRoot);
  await selfTest(sandbox);
  return sandbox;
}

/** Every directory down to `path` lets others through (o+x). */
function isWorldTraversable(path: string): boolean {
  return [...ancestors(path), path].every((dir) => {
    try {
      return (statSync(dir).mode & 0o001) !== 0;
    } catch {
      return false;
    }
  });
}

async function selfTest(sandbox: Sandbox): Promise<void> {
  const result = await sandbox.run('print("sandbox-ok")', { wallMs: 10_000, cpuSeconds: 5 });
  if (result.ok && result.stdout.trim() === 'sandbox-ok') return;
  await sandbox.close();
  const why = result.error ?? `exit ${result.exitCode ?? result.signal}: ${result.stderr.trim().slice(-500)}`;
  throw new ArbiterError('internal_error', `The code sandbox failed its self-test (${why}).`);
}

/** Unsafe mode works in a host temp dir; remove it when the sandbox closes. */
function withCleanup(sandbox: Sandbox, hostRoot: string): Sandbox {
  return {
    mode: sandbox.mode,
    isolated: sandbox.isolated,
    workers: sandbox.workers,
    run: (program, limits) => sandbox.run(program, limits),
    close: async () => {
      await sandbox.close();
      rmSync(hostRoot, { recursive: true, force: true });
    },
  };
}

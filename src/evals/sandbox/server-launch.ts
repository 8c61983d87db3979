/**
 * How a fork-server worker is started: inside bubblewrap, or (only when the caller opted in
 * with `unsafeNoSandbox`) directly. The argument builders are pure; `readHostLayout` is the
 * one piece of I/O, kept apart so tests can feed any layout.
 *
 * bwrap flags: https://github.com/containers/bubblewrap/blob/main/bwrap.xml
 */
import { lstatSync, readlinkSync } from 'node:fs';
import { forkServerSource } from './fork-server-source.js';
import type { PythonInterpreter } from './python-interpreter.js';

/** What the Python fork server reads from argv[1]. */
export interface ServerConfig {
  workRoot: string;
  /** Unprivileged uid each task drops to, or null when we are not root. */
  uid: number | null;
  /** Processes our uid already has on the host (added to RLIMIT_NPROC when uid is null). */
  nprocBase: number;
  privatePidNs: boolean;
  oneShot: boolean;
}

export interface ServerLaunch {
  command: string;
  args: string[];
  env: Record<string, string>;
}

/** Top-level host paths that merged-/usr systems make symlinks (`/lib -> usr/lib`). */
export type HostLayout = Array<{ path: string; symlinkTo: string | null; present: boolean }>;

const topLevelDirs = ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];
const optionalFiles = ['/etc/ld.so.cache', '/etc/alternatives', '/etc/localtime'];

export function readHostLayout(): HostLayout {
  return topLevelDirs.map((path) => {
    try {
      const stat = lstatSync(path);
      return { path, symlinkTo: stat.isSymbolicLink() ? readlinkSync(path) : null, present: true };
    } catch {
      return { path, symlinkTo: null, present: false };
    }
  });
}

const minimalEnv = { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' };

function pythonArgs(python: PythonInterpreter, config: ServerConfig): string[] {
  // -I: ignore PYTHON* variables and the user site; the program cannot be steered from outside.
  return [python.executable, '-I', '-c', forkServerSource, JSON.stringify(config)];
}

export interface BwrapLaunchSpec {
  bwrap: string;
  python: PythonInterpreter;
  config: ServerConfig;
  /** Real root: no user namespace, so tasks can drop to their own uid (see below). */
  asRoot: boolean;
  layout: HostLayout;
  /**
   * Size cap of the task directory's tmpfs, or null when this bwrap has no `--size` (before
   * 0.8.0). tmpfs pages are host memory that RLIMIT_AS does not count: without a cap a task
   * writing 15 MB files in a loop filled 3.7 GB of RAM in its 3 seconds.
   */
  tmpfsBytes: number | null;
}

export function buildBwrapLaunch(spec: BwrapLaunchSpec): ServerLaunch {
  const args: string[] = [];
  if (spec.asRoot) {
    // Everything --unshare-all does except the user namespace: as real root, a user namespace
    // maps only uid 0, so tasks could not drop to their own uid, and RLIMIT_NPROC is never
    // enforced for uid 0 (kernel/fork.c exempts INIT_USER), leaving fork bombs unbounded.
    args.push('--unshare-ipc', '--unshare-pid', '--unshare-net', '--unshare-uts', '--unshare-cgroup-try');
    // Without a user namespace bwrap keeps root's capabilities unless told otherwise; keep only
    // what the server needs to hand each task its own uid and to kill it at the deadline (the
    // task loses them all on setuid, see capabilities(7)).
    args.push('--cap-drop', 'ALL', '--cap-add', 'CAP_SETUID', '--cap-add', 'CAP_SETGID', '--cap-add', 'CAP_KILL');
  } else {
    args.push('--unshare-all');
  }
  args.push('--die-with-parent', '--new-session', '--hostname', 'sandbox');
  args.push('--ro-bind', '/usr', '/usr');
  for (const entry of spec.layout) {
    if (!entry.present) continue;
    if (entry.symlinkTo !== null) args.push('--symlink', entry.symlinkTo, entry.path);
    else args.push('--ro-bind', entry.path, entry.path);
  }
  for (const file of optionalFiles) args.push('--ro-bind-try', file, file);
  const made = new Set<string>();
  for (const prefix of spec.python.prefixes) {
    if (prefix === '/usr' || prefix.startsWith('/usr/')) continue;
    // bwrap creates missing parents as 0700, which a task's own uid cannot traverse
    // (/root/.pyenv/versions/3.11.7 under pyenv): create them world-traversable first.
    for (const parent of ancestors(prefix)) {
      if (made.has(parent)) continue;
      made.add(parent);
      args.push('--perms', '0755', '--dir', parent);
    }
    args.push('--ro-bind', prefix, prefix);
  }
  args.push('--proc', '/proc', '--dev', '/dev');
  args.push('--perms', '1777');
  if (spec.tmpfsBytes !== null) args.push('--size', String(Math.floor(spec.tmpfsBytes)));
  args.push('--tmpfs', spec.config.workRoot);
  args.push('--clearenv', '--setenv', 'PATH', minimalEnv.PATH, '--setenv', 'LANG', minimalEnv.LANG);
  args.push('--chdir', spec.config.workRoot);
  args.push('--', ...pythonArgs(spec.python, spec.config));
  return { command: spec.bwrap, args, env: { ...minimalEnv } };
}

/** `/a/b/c` → `/a`, `/a/b` (not the root, not the path itself). */
export function ancestors(path: string): string[] {
  const parts = path.split('/').filter(Boolean);
  return parts.slice(0, -1).map((_, index) => `/${parts.slice(0, index + 1).join('/')}`);
}

/** No isolation at all: the same server and rlimits, on the host. */
export function buildUnsafeLaunch(python: PythonInterpreter, config: ServerConfig): ServerLaunch {
  const [command, ...args] = pythonArgs(python, config);
  return { command: command as string, args, env: { ...minimalEnv } };
}


/**
 * Finds the real Python interpreter behind `python3`. Version managers (pyenv, asdf) put a
 * shell shim first on PATH; the sandbox must exec the binary itself and bind its prefix, so
 * we ask Python once for `sys.executable` and its prefixes and cache the answer.
 */
import { execFileSync } from 'node:child_process';
import { ArbiterError } from '../../core/errors.js';

export interface PythonInterpreter {
  executable: string;
  /** sys.prefix, sys.base_prefix, sys.exec_prefix...: what must be visible read-only. */
  prefixes: string[];
  version: string;
}

const cache = new Map<string, PythonInterpreter>();

const probe = 'import json, sys; print(json.dumps({"executable": sys.executable, "prefixes": sorted({sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}), "version": sys.version.split()[0]}))';

export function resolvePythonInterpreter(command = 'python3'): PythonInterpreter {
  const cached = cache.get(command);
  if (cached) return cached;
  let output: string;
  try {
    output = execFileSync(command, ['-c', probe], { encoding: 'utf8', timeout: 15_000, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    throw new ArbiterError('internal_error', `Cannot run '${command}' to find the Python interpreter for the code sandbox; install Python 3 or pass its path.`, { cause: error });
  }
  const parsed = JSON.parse(output) as PythonInterpreter;
  if (!parsed.executable) throw new ArbiterError('internal_error', `'${command}' did not report sys.executable.`);
  cache.set(command, parsed);
  return parsed;
}

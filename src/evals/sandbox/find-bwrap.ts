/** Locates bubblewrap and words the refusal when it is missing. */
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export function findBwrap(explicit?: string, path: string = process.env.PATH ?? ''): string | null {
  const candidates = explicit ? [explicit] : [...path.split(delimiter).filter(Boolean).map((dir) => join(dir, 'bwrap')), '/usr/bin/bwrap'];
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here; keep looking.
    }
  }
  return null;
}

export const missingBwrapMessage =
  'The code sandbox needs bubblewrap (bwrap), which was not found. Install it with `npm run setup` ' +
  '(or `sudo apt-get install bubblewrap`), or pass --unsafe-no-sandbox to run generated code WITHOUT ' +
  'isolation (resource limits only) on a machine you are willing to lose.';

/** `--size` (a tmpfs size cap) arrived in bubblewrap 0.8.0; older ones reject it at launch. */
export function bwrapSupportsTmpfsSize(bwrap: string): boolean {
  try {
    return execFileSync(bwrap, ['--help'], { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'pipe'] }).includes('--size');
  } catch {
    return false;
  }
}

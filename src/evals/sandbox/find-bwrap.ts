/** Locates bubblewrap and words the refusal when it is missing. */
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

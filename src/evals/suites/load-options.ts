/** Options every suite loader takes. */
import type { GraderServices } from '../types.js';

export interface SuiteLoadOptions {
  /** Keep at most this many items (after sampling). */
  limit?: number;
  /** With a seed, `limit` takes a seeded random sample instead of the first items. */
  seed?: number | string;
  /** Sandbox and judge for graders that need them. */
  services?: GraderServices;
}

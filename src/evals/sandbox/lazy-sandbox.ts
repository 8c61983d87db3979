/**
 * A sandbox started on first use and shared after: suites that never execute code never
 * start one, and concurrent first callers get the same instance.
 */
import { createSandbox } from './create-sandbox.js';
import type { Sandbox, SandboxOptions } from './sandbox.js';

export interface LazySandbox {
  get(): Promise<Sandbox>;
  /** Closes it if it was started; a later get() starts a new one. */
  close(): Promise<void>;
}

export function lazySandbox(options: SandboxOptions = {}, create: (options: SandboxOptions) => Promise<Sandbox> = createSandbox): LazySandbox {
  let starting: Promise<Sandbox> | null = null;
  return {
    get() {
      starting ??= create(options).catch((error: unknown) => {
        starting = null;
        throw error;
      });
      return starting;
    },
    async close() {
      const current = starting;
      starting = null;
      if (current) await (await current).close();
    },
  };
}

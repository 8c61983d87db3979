/** What running one program in the sandbox produced, and the server's wire shape of it. */
import { z } from 'zod';

export interface SandboxResult {
  /** Exit 0, in time, output within its cap, and no sandbox failure. */
  ok: boolean;
  exitCode: number | null;
  /** Signal name (`SIGKILL`, `SIGXCPU`...) when the program died of one. */
  signal: string | null;
  timedOut: boolean;
  /** The program ran to its last line (no exception, no sys.exit, no os._exit). */
  completed: boolean;
  outputTruncated: boolean;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** Set when the sandbox itself failed (worker crash); the program's fate is unknown. */
  error?: string;
}

export const serverResultSchema = z.union([
  z.object({
    id: z.string(),
    exitCode: z.number().int().nullable(),
    signal: z.string().nullable(),
    timedOut: z.boolean(),
    outputTruncated: z.boolean(),
    completed: z.boolean(),
    stdout: z.string(),
    stderr: z.string(),
    durationMs: z.number(),
  }),
  z.object({ id: z.string().nullable(), error: z.string() }),
]);

export type ServerResult = z.infer<typeof serverResultSchema>;

export function toSandboxResult(result: ServerResult): SandboxResult {
  if ('error' in result) return failedResult(`sandbox server: ${result.error}`, 0);
  const ok = result.exitCode === 0 && !result.timedOut && !result.outputTruncated;
  return {
    ok,
    exitCode: result.exitCode,
    signal: result.signal,
    timedOut: result.timedOut,
    completed: result.completed,
    outputTruncated: result.outputTruncated,
    stdout: result.stdout,
    stderr: result.stderr,
    durationMs: Math.round(result.durationMs * 100) / 100,
  };
}

export function failedResult(error: string, durationMs: number, timedOut = false): SandboxResult {
  return { ok: false, exitCode: null, signal: null, timedOut, completed: false, outputTruncated: false, stdout: '', stderr: '', durationMs, error };
}

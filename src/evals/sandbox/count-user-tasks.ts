/**
 * How many tasks (processes and threads) a uid already runs on this host. RLIMIT_NPROC counts
 * all of them, so when tasks cannot get a uid of their own (we are not root) the per-task cap
 * has to sit on top of this count (see setrlimit(2), RLIMIT_NPROC).
 */
import { readdirSync, readFileSync } from 'node:fs';

export function countUserTasks(uid: number, procRoot = '/proc'): number {
  let total = 0;
  let entries: string[];
  try {
    entries = readdirSync(procRoot);
  } catch {
    return 0;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let status: string;
    try {
      status = readFileSync(`${procRoot}/${entry}/status`, 'utf8');
    } catch {
      continue;
    }
    const realUid = /^Uid:\s+(\d+)/m.exec(status)?.[1];
    if (realUid === undefined || Number(realUid) !== uid) continue;
    total += Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? 1);
  }
  return total;
}

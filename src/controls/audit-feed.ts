/**
 * Audit rows as they are committed, for live views (the dashboard's log follow): listeners
 * get each written batch in this process, so following the log costs no query at all.
 */
import type { AuditLogTable } from '../store/tables/controls.js';

export type AuditFeedListener = (rows: readonly AuditLogTable[]) => void;

export class AuditFeed {
  private readonly listeners = new Set<AuditFeedListener>();

  /** Returns the unsubscribe function. */
  subscribe(listener: AuditFeedListener): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  get size(): number {
    return this.listeners.size;
  }

  publish(rows: readonly AuditLogTable[]): void {
    for (const listener of this.listeners) {
      try {
        listener(rows);
      } catch {
        // A broken listener (a closed connection) must not stop the audit writer.
      }
    }
  }
}

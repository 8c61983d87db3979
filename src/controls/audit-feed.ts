/**
 * Audit rows as they are committed, for live views (the dashboard's log follow): listeners
 * get each written batch in this process, so following the log costs no query at all.
 */
import type { AuditLogTable } from '../store/tables/controls.js';

export type AuditFeedListener = (rows: readonly AuditLogTable[]) => void;

export class AuditFeed {
  private readonly listeners = new Set<AuditFeedListener>();
  private readonly closers = new Map<AuditFeedListener, () => void>();

  /** Returns the unsubscribe function; `onClose` runs when the feed closes (shutdown ends open streams). */
  subscribe(listener: AuditFeedListener, onClose?: () => void): () => void {
    this.listeners.add(listener);
    if (onClose) this.closers.set(listener, onClose);
    return () => {
      this.listeners.delete(listener);
      this.closers.delete(listener);
    };
  }

  close(): void {
    const closers = [...this.closers.values()];
    this.listeners.clear();
    this.closers.clear();
    for (const close of closers) close();
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

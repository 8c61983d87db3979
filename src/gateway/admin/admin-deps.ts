/** What the admin API reads and acts on; the gateway's start wires the real ones in. */
import type { ArbiterConfig } from '../../config/schema.js';
import type { AuditFeed } from '../../controls/audit-feed.js';
import type { KeyService } from '../../controls/keys.js';
import type { Runtime } from '../../runtime/types.js';
import type { Store } from '../../store/database.js';

export interface AdminDeps {
  store: Store;
  keys: KeyService;
  runtime: Pick<Runtime, 'deployments' | 'deploymentStatus'>;
  config: ArbiterConfig;
  masterKey?: string;
  /** Committed audit batches, for the log's live follow. */
  feed?: AuditFeed;
  /** A budget scope's use (settled plus held) from the gateway's ledger. */
  budgetUsage?: (scope: string) => Promise<number>;
  /**
   * What `arbiter identify` concluded about a deployment's model, once that feature stores
   * results; the providers view shows it when present.
   */
  identification?: (deployment: string) => Promise<unknown>;
  now?: () => number;
  bodyLimitBytes?: number;
}

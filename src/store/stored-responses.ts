/**
 * Responses API turns kept for `previous_response_id`: the canonical conversation up to and
 * including the answer, under the response id, until it expires. Only routes that store
 * bodies keep them (the caller checks), and only the key that made a turn may continue it.
 */
import type { Store } from './database.js';

export interface StoredResponse {
  id: string;
  keyId: string | null;
  route: string;
  /** Canonical chat messages, the answer last. */
  messages: unknown[];
  response: unknown;
  createdAt: number;
  expiresAt: number;
}

export async function saveStoredResponse(store: Store, entry: StoredResponse): Promise<void> {
  await store.db.insertInto('stored_responses').values({
    id: entry.id,
    key_id: entry.keyId,
    route: entry.route,
    messages_json: JSON.stringify(entry.messages),
    response_json: JSON.stringify(entry.response),
    created_at: entry.createdAt,
    expires_at: entry.expiresAt,
  }).execute();
}

/** The turn stored under `id`, unless it expired by `now` (expired rows are swept on the way). */
export async function loadStoredResponse(store: Store, id: string, now: number): Promise<StoredResponse | undefined> {
  const row = await store.db.selectFrom('stored_responses').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  if (Number(row.expires_at) <= now) {
    await deleteExpiredResponses(store, now);
    return undefined;
  }
  return {
    id: row.id,
    keyId: row.key_id,
    route: row.route,
    messages: JSON.parse(row.messages_json) as unknown[],
    response: JSON.parse(row.response_json) as unknown,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
  };
}

export async function deleteExpiredResponses(store: Store, now: number): Promise<number> {
  const result = await store.db.deleteFrom('stored_responses').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}

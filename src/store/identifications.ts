/**
 * Identifications per deployment: written by `arbiter identify`, read by `arbiter models`,
 * `arbiter route --explain` and (later) the dashboard. The swap flag is computed by the caller
 * from the previous fingerprint, which `previousIdentification` returns.
 */
import type { Store } from './database.js';

export interface IdentificationRecord {
  id: string;
  deployment: string;
  url: string;
  model: string;
  createdAt: number;
  family: string;
  probability: number;
  confident: boolean;
  fingerprint: string;
  changed: boolean;
  changeReason: string | null;
  requests: number;
  promptTokens: number;
  report: unknown;
}

export async function saveIdentification(store: Store, record: IdentificationRecord): Promise<void> {
  await store.db.insertInto('identifications').values({
    id: record.id,
    deployment: record.deployment,
    url: record.url,
    model: record.model,
    created_at: record.createdAt,
    family: record.family,
    probability: record.probability,
    confident: record.confident ? 1 : 0,
    fingerprint: record.fingerprint,
    changed: record.changed ? 1 : 0,
    change_reason: record.changeReason,
    requests: record.requests,
    prompt_tokens: record.promptTokens,
    report_json: JSON.stringify(record.report),
  }).execute();
}

/** The deployment's newest identification, if any. */
export async function previousIdentification(store: Store, deployment: string): Promise<IdentificationRecord | undefined> {
  const row = await store.db.selectFrom('identifications').selectAll().where('deployment', '=', deployment)
    .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

/** The newest identification of every deployment (a plain read for listings and the dashboard). */
export async function latestIdentifications(store: Store): Promise<IdentificationRecord[]> {
  const rows = await store.db.selectFrom('identifications').selectAll().orderBy('deployment').orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  const seen = new Set<string>();
  const out: IdentificationRecord[] = [];
  for (const row of rows) {
    if (seen.has(row.deployment)) continue;
    seen.add(row.deployment);
    out.push(toRecord(row));
  }
  return out;
}

/** Every identification of one deployment, newest first. */
export async function identificationHistory(store: Store, deployment: string, limit = 50): Promise<IdentificationRecord[]> {
  const rows = await store.db.selectFrom('identifications').selectAll().where('deployment', '=', deployment)
    .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toRecord);
}

type Row = {
  id: string; deployment: string; url: string; model: string; created_at: number; family: string; probability: number; confident: number;
  fingerprint: string; changed: number; change_reason: string | null; requests: number; prompt_tokens: number; report_json: string;
};

function toRecord(row: Row): IdentificationRecord {
  return {
    id: row.id,
    deployment: row.deployment,
    url: row.url,
    model: row.model,
    createdAt: Number(row.created_at),
    family: row.family,
    probability: Number(row.probability),
    confident: Number(row.confident) === 1,
    fingerprint: row.fingerprint,
    changed: Number(row.changed) === 1,
    changeReason: row.change_reason,
    requests: Number(row.requests),
    promptTokens: Number(row.prompt_tokens),
    report: JSON.parse(row.report_json) as unknown,
  };
}

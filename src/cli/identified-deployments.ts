/**
 * The stored identifications (`arbiter identify`) for listings: `arbiter models` and
 * `arbiter route --explain` show each deployment's newest one, swaps flagged. A listing never
 * creates a database: a SQLite file that does not exist means nothing was identified.
 */
import { existsSync } from 'node:fs';
import { openStore } from '../store/database.js';
import { latestIdentifications, type IdentificationRecord } from '../store/identifications.js';

export async function readIdentifications(url: string): Promise<IdentificationRecord[]> {
  if (url.startsWith('sqlite:')) {
    const path = url.replace(/^sqlite:(\/\/)?/, '');
    if (path === ':memory:' || !existsSync(path)) return [];
  }
  const store = await openStore(url);
  try {
    return await latestIdentifications(store);
  } finally {
    await store.close();
  }
}

function age(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes}m ago`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours}h ago` : `${Math.round(hours / 24)}d ago`;
}

/** One line per deployment: family (or unknown), probability, age, and a swap warning. */
export function renderIdentifications(records: readonly IdentificationRecord[], now = Date.now()): string {
  if (records.length === 0) return '';
  const lines = records.map((r) => `  ${r.deployment}: ${r.confident ? r.family : 'unknown'} (p = ${r.probability.toFixed(2)}, ${r.model}, ${age(now - r.createdAt)}, ${r.requests} requests)` +
    (r.changed ? `  FINGERPRINT CHANGED: ${r.changeReason ?? 'silent swap?'}` : ''));
  return ['Identified deployments (arbiter identify):', ...lines].join('\n');
}

/** The newest identification of a deployment, matched by configured name. */
export function identificationFor(records: readonly IdentificationRecord[], ...names: string[]): IdentificationRecord | undefined {
  return records.find((record) => names.includes(record.deployment));
}

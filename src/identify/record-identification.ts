/**
 * Keeps an identification per deployment and flags a silent swap: the new fingerprint is
 * compared with the deployment's previous one before the row is written.
 */
import { randomUUID } from 'node:crypto';
import type { Store } from '../store/database.js';
import { previousIdentification, saveIdentification, type IdentificationRecord } from '../store/identifications.js';
import { compareFingerprints } from './fingerprint.js';
import type { IdentifyReport } from './identify-endpoint.js';

export async function recordIdentification(store: Store, deployment: string, report: IdentifyReport): Promise<IdentificationRecord> {
  const previous = await previousIdentification(store, deployment);
  const change = previous ? compareFingerprints(previous.fingerprint, report.fingerprint) : { changed: false };
  const record: IdentificationRecord = {
    id: randomUUID(),
    deployment,
    url: report.target.url,
    model: report.target.model,
    createdAt: report.startedAt,
    family: report.verdict.family,
    probability: report.verdict.probability,
    confident: report.verdict.confident,
    fingerprint: report.fingerprint,
    changed: change.changed,
    changeReason: change.changed ? change.reason ?? 'fingerprint changed' : null,
    requests: report.spent.requests,
    promptTokens: report.spent.promptTokens,
    report,
  };
  await saveIdentification(store, record);
  return record;
}

/**
 * The eval cache key: sha256 over (model, canonical request, repeat index). Canonical means
 * object keys sorted and undefined dropped, so two equal requests built in a different key
 * order hash the same.
 */
import { createHash } from 'node:crypto';
import type { ChatRequest } from '../../core/chat-request.js';

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((entry) => (entry === undefined ? 'null' : canonicalJson(entry))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, entry]) => entry !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(',')}}`;
}

export function evalRequestHash(model: string, request: ChatRequest, repeat: number): string {
  return createHash('sha256').update(canonicalJson({ model, request, repeat })).digest('hex');
}

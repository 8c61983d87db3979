/**
 * The eval cache key: sha256 over (model, canonical request, repeat index). Canonical means
 * object keys sorted and undefined dropped, so two equal requests built in a different key
 * order hash the same.
 */
import { sha256Hex } from '../../core/sha256.js';
import type { ChatRequest } from '../../core/chat-request.js';
import { canonicalJson } from '../../core/canonical-json.js';

export { canonicalJson };

export function evalRequestHash(model: string, request: ChatRequest, repeat: number): string {
  return sha256Hex(canonicalJson({ model, request, repeat }));
}

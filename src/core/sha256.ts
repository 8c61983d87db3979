/** SHA-256 as hex: the one digest for cache keys, prompt hashes, request hashes and stored key hashes. */
import { hash } from 'node:crypto';

// One-shot `crypto.hash` (Node 20.12+) skips the Hash object createHash builds; it runs several times a request.
export function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
}

/** Reads a JSON request body with a hard size limit; oversize is 413, bad JSON is 400. */
import type { IncomingMessage } from 'node:http';
import { ArbiterError } from '../core/errors.js';

export async function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    throw new ArbiterError('payload_too_large', `Request body of ${declared} bytes exceeds the limit of ${limitBytes} bytes.`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limitBytes) {
      throw new ArbiterError('payload_too_large', `Request body exceeds the limit of ${limitBytes} bytes.`);
    }
    chunks.push(buffer);
  }
  if (size === 0) throw new ArbiterError('invalid_request', 'The request body is empty; send a JSON object.');
  const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, size).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ArbiterError('invalid_request', `The request body is not valid JSON: ${(error as Error).message}`);
  }
}

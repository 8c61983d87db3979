/** Reads a JSON request body with a hard size limit; oversize is 413, bad JSON is 400. */
import type { IncomingMessage } from 'node:http';
import { ArbiterError } from '../core/errors.js';

export async function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    throw new ArbiterError('payload_too_large', `Request body of ${declared} bytes exceeds the limit of ${limitBytes} bytes.`);
  }
  const { chunks, size } = await collectBody(req, limitBytes);
  if (size === 0) throw new ArbiterError('invalid_request', 'The request body is empty; send a JSON object.');
  const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, size).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ArbiterError('invalid_request', `The request body is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * The body's chunks under the size limit. Plain 'data'/'end' listeners: async iteration over
 * the request costs a promise and an iterator step per chunk, on every request.
 */
function collectBody(req: IncomingMessage, limitBytes: number): Promise<{ chunks: Buffer[]; size: number }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        cleanup();
        // Stop reading; the error response closes the connection after it is sent.
        req.pause();
        reject(new ArbiterError('payload_too_large', `Request body exceeds the limit of ${limitBytes} bytes.`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve({ chunks, size });
    };
    const onError = (error: Error) => {
      cleanup();
      reject(new ArbiterError('client_closed', `The request body could not be read: ${error.message}`));
    };
    const onClose = () => {
      if (req.complete) return;
      cleanup();
      reject(new ArbiterError('client_closed', 'The client closed the connection before sending the whole body.'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

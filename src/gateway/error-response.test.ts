import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ArbiterError } from '../core/errors.js';
import { sendError } from './error-response.js';

test('an error answer keeps its own content type and length over headers the failed request had set', async () => {
  // A handler that failed after setting its success headers (sendJson writes them into the request's header object).
  const server = createServer((_req, res) => sendError(res, new ArbiterError('invalid_request', 'bad field', { param: 'messages' }), { 'content-type': 'text/plain', 'content-length': '3', 'x-request-id': 'req_1' }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const text = await response.text();
    assert.equal(response.status, 400);
    assert.equal(response.headers.get('content-type'), 'application/json');
    assert.equal(response.headers.get('content-length'), String(Buffer.byteLength(text)));
    assert.equal(response.headers.get('x-request-id'), 'req_1');
    assert.equal(JSON.parse(text).error.param, 'messages');
  } finally {
    server.close();
  }
});

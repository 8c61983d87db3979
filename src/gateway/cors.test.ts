import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../telemetry/logger.js';
import { createCorsPolicy } from './cors.js';
import { createGatewayListener, listen, type ListeningServer } from './server.js';
import { sendJson } from './send-json.js';

const ALLOWED = 'https://app.example.com';
let server: ListeningServer;
before(async () => {
  const listener = createGatewayListener({
    logger: createLogger('silent'),
    middleware: [async (ctx, next) => {
      // Stands in for auth: a preflight must never reach it.
      if (ctx.req.headers.authorization !== 'Bearer ok') throw Object.assign(new Error('no key'), { status: 401 });
      return next();
    }],
    cors: createCorsPolicy({ origins: [`${ALLOWED}/`], maxAgeSeconds: 300 }),
    routes: { 'POST /v1/chat/completions': async (ctx) => { ctx.responseHeaders['x-arbiter-model'] = 'm'; sendJson(ctx, 200, { ok: true }); } },
  });
  server = await listen(listener, '127.0.0.1', 0);
});
after(() => server.close());

const url = () => `${server.url}/v1/chat/completions`;

describe('CORS', () => {
  test('a preflight from an allowed origin is answered 204 before auth, with methods, headers and max-age', async () => {
    const res = await fetch(url(), { method: 'OPTIONS', headers: { origin: ALLOWED, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), ALLOWED);
    assert.match(res.headers.get('access-control-allow-methods') ?? '', /POST/);
    assert.equal(res.headers.get('access-control-allow-headers'), 'authorization, content-type');
    assert.equal(res.headers.get('access-control-max-age'), '300');
  });

  test('the actual response names the origin and exposes the decision headers', async () => {
    const res = await fetch(url(), { method: 'POST', headers: { origin: ALLOWED, authorization: 'Bearer ok', 'content-type': 'application/json' }, body: '{}' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), ALLOWED);
    assert.match(res.headers.get('access-control-expose-headers') ?? '', /x-arbiter-model/);
    assert.equal(res.headers.get('vary'), 'origin');
  });

  test('another origin gets no CORS headers, and its preflight is refused like any OPTIONS', async () => {
    const preflight = await fetch(url(), { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    assert.equal(preflight.status, 405);
    assert.equal(preflight.headers.get('access-control-allow-origin'), null);
    const res = await fetch(url(), { method: 'POST', headers: { origin: 'https://evil.example', authorization: 'Bearer ok' }, body: '{}' });
    assert.equal(res.headers.get('access-control-allow-origin'), null);
  });

  test('errors carry the CORS headers too, so a browser can read them', async () => {
    const res = await fetch(url(), { method: 'POST', headers: { origin: ALLOWED }, body: '{}' });
    assert.equal(res.headers.get('access-control-allow-origin'), ALLOWED);
    assert.notEqual(res.status, 200);
  });
});

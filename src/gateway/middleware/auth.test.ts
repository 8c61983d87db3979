import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ArbiterError } from '../../core/errors.js';
import type { GatewayContext } from '../context.js';
import { authMiddleware } from './auth.js';

function context(remoteAddress: string, authorization?: string, path = '/v1/chat/completions'): GatewayContext {
  return {
    req: { headers: authorization ? { authorization } : {}, socket: { remoteAddress } } as unknown as IncomingMessage,
    res: {} as ServerResponse, requestId: 'req_1', method: 'POST', path, query: new URLSearchParams(),
    startedAt: 0, responseHeaders: {}, signal: new AbortController().signal, vars: {},
  };
}

const noKeys = { hasKeys: () => false, authenticate: () => { throw new Error('unused'); } };

test('with no keys configured only loopback callers are served (the master key still works)', async () => {
  const auth = authMiddleware({ keys: noKeys, masterKey: 'm-secret' });
  let passed = 0;
  const next = async () => { passed += 1; };
  await auth(context('127.0.0.1'), next);
  await auth(context('::1'), next);
  await auth(context('10.1.2.3', 'Bearer m-secret'), next);
  await auth(context('10.1.2.3', undefined, '/healthz'), next);
  assert.equal(passed, 4);
  await assert.rejects(auth(context('10.1.2.3'), next), (error: unknown) =>
    error instanceof ArbiterError && error.status === 401 && /only accepts requests from localhost/.test(error.message));
  await assert.rejects(auth(context('10.1.2.3', 'Bearer wrong'), next), (error: unknown) => error instanceof ArbiterError && error.status === 401);
  assert.equal(passed, 4);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SseWriter } from './sse-writer.js';

test('SSE writer: a slow client makes senders wait, and every event arrives once, in order, before [DONE]', async () => {
  const events = 400;
  const payload = 'x'.repeat(4096);
  let waited = 0;
  let maxCloseListeners = 0;
  const server = createServer(async (_req, res) => {
    const writer = new SseWriter(res, { 'x-test': '1' });
    for (let i = 0; i < events; i++) {
      const backpressure = writer.send({ i, payload });
      maxCloseListeners = Math.max(maxCloseListeners, res.listenerCount('close'));
      if (backpressure) {
        waited++;
        await backpressure;
      }
    }
    writer.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const body = await new Promise<string>((resolve, reject) => {
      request({ port, host: '127.0.0.1', path: '/' }, (res) => {
        assert.equal(res.headers['content-type'], 'text/event-stream; charset=utf-8');
        assert.equal(res.headers['x-test'], '1');
        let text = '';
        res.setEncoding('utf8');
        // Read nothing for a while, so the socket's buffers fill up.
        res.pause();
        setTimeout(() => res.resume(), 300);
        res.on('data', (chunk: string) => { text += chunk; });
        res.on('end', () => resolve(text));
        res.on('error', reject);
      }).on('error', reject).end();
    });
    assert.ok(waited > 2, `the writer reported backpressure ${waited} times`);
    assert.ok(maxCloseListeners <= 2, `close listeners piled up: ${maxCloseListeners}`);
    const data = body.split('\n\n').filter(Boolean).map((event) => event.replace(/^data: /, ''));
    assert.equal(data.at(-1), '[DONE]');
    const indexes = data.slice(0, -1).map((line) => (JSON.parse(line) as { i: number }).i);
    assert.deepEqual(indexes, Array.from({ length: events }, (_, i) => i));
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test('SSE writer: an error after the first byte goes out in-band and ends the stream', async () => {
  const { ArbiterError } = await import('../core/errors.js');
  const server = createServer((_req, res) => {
    const writer = new SseWriter(res, {});
    void writer.send({ n: 1 });
    writer.fail(new ArbiterError('upstream_error', 'upstream went away'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const text = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    const lines = text.split('\n\n').filter(Boolean);
    assert.equal(lines.length, 2);
    assert.deepEqual(JSON.parse(lines[0]!.slice(6)), { n: 1 });
    assert.equal((JSON.parse(lines[1]!.slice(6)) as { error: { message: string } }).error.message, 'upstream went away');
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

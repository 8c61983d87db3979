import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UpstreamBody, type BodyFlowControl } from './upstream-body.js';

function control(): BodyFlowControl & { pauses: number; resumes: number; aborted?: Error } {
  const state = {
    pauses: 0,
    resumes: 0,
    aborted: undefined as Error | undefined,
    pause() { state.pauses++; },
    resume() { state.resumes++; },
    abort(reason: Error) { state.aborted = reason; },
  };
  return state;
}

describe('UpstreamBody', () => {
  it('reads the whole body as text, chunks split inside a UTF-8 sequence included', async () => {
    let settled = 0;
    const body = new UpstreamBody(control(), () => settled++);
    const bytes = Buffer.from('{"text":"héllo"}');
    const text = body.text();
    body.push(bytes.subarray(0, 11));
    body.push(bytes.subarray(11));
    body.end();
    assert.equal(await text, '{"text":"héllo"}');
    assert.equal(settled, 1);
  });

  it('pauses the socket when an iterating reader falls behind and resumes as it catches up', async () => {
    const flow = control();
    const body = new UpstreamBody(flow, () => undefined);
    const iterator = body[Symbol.asyncIterator]();
    for (let i = 0; i < 5; i++) body.push(Buffer.alloc(20 * 1024, i));
    assert.equal(flow.pauses, 1);
    for (let i = 0; i < 5; i++) {
      const next = await iterator.next();
      assert.equal((next.value as Buffer)[0], i);
    }
    assert.equal(flow.resumes, 1);
    body.end();
    assert.equal((await iterator.next()).done, true);
  });

  it('delivers the chunks that came before a failure, then the failure', async () => {
    const body = new UpstreamBody(control(), () => undefined);
    body.push(Buffer.from('data: one\n\n'));
    body.fail(new Error('socket reset'));
    const seen: string[] = [];
    await assert.rejects((async () => {
      for await (const chunk of body) seen.push(chunk.toString());
    })(), /socket reset/);
    assert.deepEqual(seen, ['data: one\n\n']);
  });

  it('aborts the upstream call when the reader gives up before the end, and not after it', async () => {
    const early = control();
    const body = new UpstreamBody(early, () => undefined);
    body.push(Buffer.from('x'));
    for await (const _chunk of body) break;
    assert.ok(early.aborted);

    const late = control();
    const finished = new UpstreamBody(late, () => undefined);
    finished.push(Buffer.from('x'));
    finished.end();
    for await (const _chunk of finished) break;
    assert.equal(late.aborted, undefined);
  });

  it('can be read only once', () => {
    const body = new UpstreamBody(control(), () => undefined);
    void body.text();
    assert.throws(() => body[Symbol.asyncIterator](), /only once/);
  });
});

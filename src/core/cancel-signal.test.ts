import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RequestAbort } from './cancel-signal.js';

test('RequestAbort: listeners run once with the reason set; removed and late listeners never run', () => {
  const abort = new RequestAbort();
  const calls: string[] = [];
  const removed = () => calls.push('removed');
  abort.addEventListener('abort', () => calls.push(`first:${String(abort.reason)}`));
  abort.addEventListener('abort', removed);
  abort.addEventListener('abort', () => calls.push('second'));
  abort.removeEventListener('abort', removed);
  assert.equal(abort.aborted, false);
  abort.abort('gone');
  abort.abort('again');
  abort.addEventListener('abort', () => calls.push('late'));
  assert.equal(abort.aborted, true);
  assert.equal(abort.reason, 'gone');
  assert.deepEqual(calls, ['first:gone', 'second']);
});

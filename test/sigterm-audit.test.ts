/**
 * SIGTERM during load: every request whose response reached the client has its audit row
 * after the process exits (the batched writer drains on a clean shutdown).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Agent } from 'undici';
import { openStore } from '../src/store/database.js';

test('SIGTERM under load loses no audit record of an answered request', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'arbiter-sigterm-'));
  const dbPath = join(dir, 'arbiter.db');
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/gateway-process.ts', dbPath], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  try {
    const firstLine = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', () => reject(new Error('gateway process exited before listening')));
    });
    const { url } = JSON.parse(firstLine) as { url: string };

    // A fresh connection per request: an answer can never hide in a reused keep-alive socket.
    const dispatcher = new Agent({ pipelining: 0 });
    const acknowledged: string[] = [];
    let failed = 0;
    let signalled = false;
    const signalAfter = 150;
    async function worker(id: number): Promise<void> {
      for (let n = 0; ; n++) {
        const requestId = `req_sigterm_${id}_${n}`;
        try {
          const res = await fetch(`${url}/v1/chat/completions`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-request-id': requestId },
            body: JSON.stringify({ model: 'sim-swift', messages: [{ role: 'user', content: `load ${id} ${n}` }], max_tokens: 8, stream: n % 2 === 1 }),
            dispatcher,
          } as RequestInit);
          await res.text();
          if (res.status === 200) acknowledged.push(res.headers.get('x-request-id') ?? requestId);
        } catch {
          // Refused or cut by the shutdown: not acknowledged, so nothing is owed.
          failed += 1;
          if (signalled) return;
        }
        if (!signalled && acknowledged.length >= signalAfter) {
          signalled = true;
          child.kill('SIGTERM');
        }
      }
    }
    await Promise.all(Array.from({ length: 32 }, (_, id) => worker(id)));
    const exit = await exited;
    await dispatcher.close();
    assert.deepEqual(exit, { code: 0, signal: null }, 'clean shutdown');
    assert.ok(acknowledged.length >= signalAfter, `${acknowledged.length} answered`);

    const store = await openStore(`sqlite:${dbPath}`);
    try {
      const rows = await store.db.selectFrom('audit_log').select('request_id').execute();
      const audited = new Set(rows.map((row) => row.request_id));
      const missing = acknowledged.filter((requestId) => !audited.has(requestId));
      assert.deepEqual(missing, [], `${missing.length} of ${acknowledged.length} answered requests have no audit row (${failed} refused during shutdown)`);
    } finally {
      await store.close();
    }
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

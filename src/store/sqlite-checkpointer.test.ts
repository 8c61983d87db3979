import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openStore } from './database.js';

async function fill(store: Awaited<ReturnType<typeof openStore>>, rows: number): Promise<void> {
  await sql`create table if not exists scratch (id integer primary key, body text)`.execute(store.db);
  for (let at = 0; at < rows; at += 100) {
    const values = Array.from({ length: 100 }, (_, i) => sql`(${at + i}, ${'x'.repeat(2000)})`);
    await sql`insert into scratch (id, body) values ${sql.join(values)}`.execute(store.db);
  }
}

test('background checkpoints: commits never checkpoint, the worker folds the WAL into the file, and close empties it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'arbiter-ckpt-'));
  const path = join(dir, 'a.db');
  try {
    const store = await openStore(`sqlite:${path}`, { backgroundCheckpoints: true });
    const autocheckpoint = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(store.db);
    assert.equal(autocheckpoint.rows[0]?.wal_autocheckpoint, 0);
    const before = statSync(path).size;
    // ~6 MB of rows: far past the 1,000 pages at which a commit would checkpoint by itself.
    await fill(store, 3000);
    assert.ok(statSync(`${path}-wal`).size > 4_000_000, 'the rows sit in the WAL');
    let grown = false;
    for (let attempt = 0; attempt < 40 && !grown; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      grown = statSync(path).size > before + 4_000_000;
    }
    assert.ok(grown, 'the worker copied the WAL into the database file');
    await store.close();
    assert.ok(!existsSync(`${path}-wal`) || statSync(`${path}-wal`).size === 0, 'the WAL is empty after close');
    const reopened = await openStore(`sqlite:${path}`);
    const count = await sql<{ n: number }>`select count(*) as n from scratch`.execute(reopened.db);
    assert.equal(count.rows[0]?.n, 3000);
    await reopened.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('without the option a store checkpoints inside commits as SQLite does by default', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'arbiter-ckpt-'));
  try {
    const store = await openStore(`sqlite:${join(dir, 'a.db')}`);
    const autocheckpoint = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(store.db);
    assert.equal(autocheckpoint.rows[0]?.wal_autocheckpoint, 1000);
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { WalWriter } from './wal.js';

// fdatasync is replaced (for the ESM binding too, via syncBuiltinESMExports) by one that
// records each call and completes only when the test says so.
type Call = { done: (err: Error | null) => void };
const calls: Call[] = [];
const real = fs.fdatasync;
before(() => {
  (fs as { fdatasync: unknown }).fdatasync = (_fd: number, cb: (err: Error | null) => void) => calls.push({ done: cb });
  syncBuiltinESMExports();
});
after(() => {
  (fs as { fdatasync: unknown }).fdatasync = real;
  syncBuiltinESMExports();
});

const settled = async (p: Promise<unknown>): Promise<boolean> => {
  let done = false;
  void p.then(
    () => (done = true),
    () => (done = true),
  );
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
  return done;
};

describe('WAL sync', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-wal-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('a sync covers only writes before it started; a later write starts another at once, and each waits for its own', async () => {
    const w = await WalWriter.open(dir, 0, 32 * 1024 * 1024);
    w.write(new Uint8Array(100)); // the first write also zero-fills ahead and syncs that
    const first = w.sync();
    for (const c of calls.splice(0)) c.done(null);
    await first;

    w.write(new Uint8Array(10));
    const a = w.sync();
    assert.equal(calls.length, 1);
    assert.equal(w.sync(), a, 'nothing written since: the running sync covers it');
    w.write(new Uint8Array(10));
    const b = w.sync();
    assert.notEqual(b, a);
    assert.equal(calls.length, 2, 'started beside the running one, not after it');
    const [callA, callB] = calls.splice(0) as [Call, Call];
    callB.done(null);
    assert.equal(await settled(b), true);
    assert.equal(await settled(a), false, 'the earlier sync has not finished');
    callA.done(null);
    assert.equal(await settled(a), true);

    // At most four at once: the fifth waits for the newest, then starts its own.
    const waiting: Array<Promise<void>> = [];
    for (let i = 0; i < 5; i++) {
      w.write(new Uint8Array(10));
      waiting.push(w.sync());
    }
    assert.equal(calls.length, 4);
    const four = calls.splice(0);
    (four[3] as Call).done(null);
    assert.equal(await settled(waiting[3] as Promise<void>), true);
    assert.equal(await settled(waiting[4] as Promise<void>), false);
    assert.equal(calls.length, 1, 'the fifth started its own sync once the newest finished');
    (calls.shift() as Call).done(null);
    assert.equal(await settled(waiting[4] as Promise<void>), true);
    assert.equal(await settled(waiting[0] as Promise<void>), false);
    for (const c of four.slice(0, 3)) c.done(null);
    for (const p of waiting) await p;

    // A failed fdatasync fails the commits waiting on it.
    w.write(new Uint8Array(10));
    const failing = w.sync();
    (calls.shift() as Call).done(new Error('EIO'));
    await assert.rejects(failing, /EIO/);
    const closing = w.close();
    for (let i = 0; i < 5 && calls.length === 0; i++) await new Promise<void>((r) => setImmediate(r));
    for (const c of calls.splice(0)) c.done(null);
    await closing;
  });
});

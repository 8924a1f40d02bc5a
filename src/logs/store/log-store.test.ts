import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../../model/clock.js';
import { newMatcher } from '../../model/matcher.js';
import type { LogEntry } from '../types.js';
import { LogStore } from './log-store.js';
import { Redactor, REDACTED } from '../redact.js';

const T0 = 1_700_000_000_000;

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'vigil-logs-'));
}

async function collect(it: AsyncIterable<LogEntry>): Promise<LogEntry[]> {
  const out: LogEntry[] = [];
  for await (const e of it) out.push(e);
  return out;
}

async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) out.push(join(e.parentPath, e.name));
  return out;
}

describe('LogStore', () => {
  test('append and select by matchers, time range, direction and limit', async (t) => {
    const dir = await tempDir();
    t.after(() => rm(dir, { recursive: true, force: true }));
    const store = await LogStore.open(dir, { chunkBytes: 200 });
    const batch = [];
    for (let i = 0; i < 100; i++) batch.push({ labels: { app: i % 2 ? 'api' : 'web', env: 'prod' }, t: T0 + i * 1000, line: `request ${i}` });
    // out of order within a batch is accepted
    batch.reverse();
    await store.append(batch);
    // Cut heads are queryable at once; they become chunk files in a sealing task behind the append.
    assert.equal(store.stats().entries, 100);
    assert.equal((await collect(store.select([], T0, T0 + 100_000, 'forward', 1000))).length, 100);
    await store.flush();
    assert.ok(store.stats().chunks > 2, 'small chunkBytes seals chunks');
    const api = await collect(store.select([newMatcher('=', 'app', 'api')], T0, T0 + 100_000, 'forward', 1000));
    assert.equal(api.length, 50);
    assert.deepEqual(api.slice(0, 3).map((e) => e.line), ['request 1', 'request 3', 'request 5']);
    const back = await collect(store.select([newMatcher('=~', 'app', 'api|web')], T0 + 10_000, T0 + 20_000, 'backward', 3));
    assert.deepEqual(back.map((e) => e.line), ['request 19', 'request 18', 'request 17']);
    const filtered = await collect(store.select([newMatcher('=', 'env', 'prod')], T0, T0 + 1e6, 'forward', 2, (e) => e.line.endsWith('7')));
    assert.deepEqual(filtered.map((e) => e.line), ['request 7', 'request 17']);
    assert.deepEqual(await collect(store.select([newMatcher('=', 'app', 'nope')], T0, T0 + 1e6)), []);
    assert.deepEqual(store.labels(), ['app', 'env']);
    assert.deepEqual(store.labelValues('app'), ['api', 'web']);
    assert.equal(store.series([newMatcher('=', 'app', 'web')], T0, T0 + 1).length, 1);
    assert.equal(store.series([newMatcher('=', 'app', 'web')], T0 + 200_000, T0 + 300_000).length, 0);
    assert.equal(store.stats().entries, 100);
    await store.close();
  });

  test('same-millisecond lines keep arrival order; ns survives', async (t) => {
    const dir = await tempDir();
    t.after(() => rm(dir, { recursive: true, force: true }));
    const store = await LogStore.open(dir);
    await store.append([{ labels: { a: '1' }, t: T0, line: 'first' }, { labels: { a: '1' }, t: T0, line: 'second' }, { labels: { a: '1' }, t: T0, ns: 5, line: 'later ns' }]);
    const got = await collect(store.select([newMatcher('=', 'a', '1')], T0, T0 + 1, 'forward'));
    assert.deepEqual(got.map((e) => [e.line, e.ns]), [['first', 0], ['second', 0], ['later ns', 5]]);
    await assert.rejects(store.append([{ labels: { a: '1' }, t: Number.NaN, line: 'x' }]), /entry 0: timestamp/);
    await store.close();
  });

  test('reopen finds sealed chunks and WAL lines, with fields', async (t) => {
    const dir = await tempDir();
    t.after(() => rm(dir, { recursive: true, force: true }));
    let store = await LogStore.open(dir, { chunkBytes: 100 });
    for (let i = 0; i < 30; i++) await store.append([{ labels: { app: 'x' }, t: T0 + i, line: `l${i}`, fields: { request_id: `r${i}` } }]);
    await store.close();
    store = await LogStore.open(dir, { chunkBytes: 100 });
    const got = await collect(store.select([newMatcher('=', 'app', 'x')], 0, Infinity, 'forward'));
    assert.equal(got.length, 30);
    assert.equal(got[29]!.fields?.request_id, 'r29');
    await store.append([{ labels: { app: 'x' }, t: T0 + 99, line: 'after reopen' }]);
    const last = await collect(store.select([newMatcher('=', 'app', 'x')], 0, Infinity, 'backward', 1));
    assert.equal(last[0]!.line, 'after reopen');
    assert.ok(last[0]!.seq > got[29]!.seq, 'sequence continues after reopen');
    await store.close();
  });

  test('retention by age and by total size', async (t) => {
    const dir = await tempDir();
    t.after(() => rm(dir, { recursive: true, force: true }));
    const clock = new FakeClock(T0 + 10 * 3600_000);
    const store = await LogStore.open(dir, { clock, chunkBytes: 1, retention: { maxAgeMs: 3600_000 } });
    await store.append([{ labels: { a: 'old' }, t: T0, line: 'old line' }]);
    await store.append([{ labels: { a: 'new' }, t: T0 + 10 * 3600_000 - 60_000, line: 'new line' }]);
    await store.applyRetention();
    assert.deepEqual(store.labelValues('a'), ['new'], 'a stream with no chunks left is dropped');
    assert.equal((await readdir(join(dir, 'chunks'))).length, 1);
    await store.close();

    const dir2 = await tempDir();
    t.after(() => rm(dir2, { recursive: true, force: true }));
    const s2 = await LogStore.open(dir2, { chunkBytes: 1, retention: { maxBytes: 200 } });
    for (let i = 0; i < 10; i++) await s2.append([{ labels: { a: 'x' }, t: T0 + i, line: `entry number ${i} ${'z'.repeat(20)}` }]);
    await s2.applyRetention();
    const st = s2.stats();
    assert.ok(st.diskBytes <= 200 && st.chunks > 0, `fits ${st.diskBytes}`);
    const left = await collect(s2.select([], 0, Infinity, 'forward'));
    assert.equal(left[left.length - 1]!.line.startsWith('entry number 9'), true, 'the newest survive');
    assert.ok(left.length < 10);
    await s2.close();
  });

  test('secrets are redacted before anything reaches disk', async (t) => {
    const dir = await tempDir();
    t.after(() => rm(dir, { recursive: true, force: true }));
    const secrets = ['hunter2', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'AKIAIOSFODNN7EXAMPLE', 'eyJhbGciOiJIUzI1NiJ9abc', '4111 1111 1111 1111', 'MIIEowIBAAKCAQEA7'];
    const store = await LogStore.open(dir, { chunkBytes: 50 });
    await store.append([
      { labels: { app: 'a' }, t: T0, line: 'login password=hunter2 key sk_live_4eC39HqLyjWDarjtT1zdp7dc' },
      { labels: { app: 'a' }, t: T0 + 1, line: 'aws AKIAIOSFODNN7EXAMPLE Authorization: Bearer eyJhbGciOiJIUzI1NiJ9abc' },
      { labels: { app: 'a' }, t: T0 + 2, line: 'card 4111 1111 1111 1111', fields: { password: 'hunter2', note: 'ok' } },
      { labels: { app: 'a' }, t: T0 + 3, line: '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\n-----END RSA PRIVATE KEY-----' },
    ]);
    const check = async (): Promise<void> => {
      for (const f of await allFiles(dir)) {
        const raw = await readFile(f);
        // A chunk is its line statistics (field values of few distinct values) then the gzip body.
        const body = raw.indexOf(Buffer.from([0x1f, 0x8b, 0x08]));
        const text = f.endsWith('.chunk') ? raw.subarray(0, body).toString() + (await import('node:zlib')).gunzipSync(raw.subarray(body)).toString() : raw.toString();
        for (const s of secrets) assert.ok(!text.includes(s), `${s} found in ${f}`);
      }
    };
    await store.flush();
    await check(); // WAL + sealed chunks
    const got = await collect(store.select([], 0, Infinity, 'forward'));
    for (const e of got) for (const s of secrets) assert.ok(!e.line.includes(s) && !JSON.stringify(e.fields ?? {}).includes(s));
    await store.close();
    await check(); // after checkpoint
  });

  test('redaction is skipped only for inputs redacted by the store\'s own redactor', async (t) => {
    const dir = await tempDir();
    t.after(() => rm(dir, { recursive: true, force: true }));
    const redactor = new Redactor();
    const store = await LogStore.open(dir, { redactor });
    // Unredacted text marked as redacted by the store's redactor is trusted as is (that is the contract)…
    await store.append([{ labels: { app: 'a' }, t: T0, line: 'trusted password=x1' }], { redactedBy: redactor });
    // …while any other redactor, or none, gets the store's own pass.
    await store.append([{ labels: { app: 'a' }, t: T0 + 1, line: 'other password=x2', fields: { password: 'x2' } }], { redactedBy: new Redactor() });
    await store.append([{ labels: { app: 'a' }, t: T0 + 2, line: 'none password=x3' }]);
    const got = await collect(store.select([], 0, Infinity, 'forward'));
    assert.deepEqual(got.map((e) => e.line), ['trusted password=x1', `other password=${REDACTED}`, `none password=${REDACTED}`]);
    assert.deepEqual(got[1]!.fields, { password: REDACTED });
    await store.close();
  });

  test('a failing background seal makes the next append reject before the WAL, and recovers', async (t) => {
    const dir = await tempDir();
    t.after(() => rm(dir, { recursive: true, force: true }));
    const { writeFile } = await import('node:fs/promises');
    const store = await LogStore.open(dir, { chunkBytes: 10 });
    await rm(join(dir, 'chunks'), { recursive: true });
    await writeFile(join(dir, 'chunks'), 'not a directory');
    await store.append([{ labels: { a: '1' }, t: T0, line: 'first line over ten bytes' }]);
    await assert.rejects(store.flush(), /ENOTDIR|chunks/);
    const walBefore = store.stats().walBytes;
    await store.append([{ labels: { a: '1' }, t: T0, line: 'x' }]).then(
      () => assert.fail('append after a failed seal must retry it and reject'),
      () => undefined,
    );
    assert.equal(store.stats().walBytes, walBefore, 'the refused batch never reached the WAL');
    await rm(join(dir, 'chunks'));
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(dir, 'chunks'));
    await store.append([{ labels: { a: '1' }, t: T0 + 1, line: 'second line over ten bytes' }]);
    await store.flush();
    assert.equal(store.stats().chunks, 2);
    assert.deepEqual((await collect(store.select([], 0, Infinity, 'forward'))).map((e) => e.line), ['first line over ten bytes', 'second line over ten bytes']);
    await store.close();
  });

  test('lines acknowledged by append() survive SIGKILL', async (t) => {
    const dir = await tempDir();
    t.after(() => rm(dir, { recursive: true, force: true }));
    const fixture = new URL('./testdata/append-then-hang.ts', import.meta.url).pathname;
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, dir, '500'], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('ok')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`fixture exited early with ${code}`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('close', r));
    const store = await LogStore.open(dir);
    const got = await collect(store.select([], 0, Infinity, 'forward'));
    assert.equal(got.length, 500);
    assert.deepEqual(got.map((e) => Number(e.line.split(' ')[1])), Array.from({ length: 500 }, (_, i) => i), 'every line once, in order');
    assert.ok(got.every((e) => e.line.endsWith('password=[REDACTED]')));
    await store.close();
  });

  test('a torn WAL tail is ignored, earlier records kept', async (t) => {
    const dir = await tempDir();
    t.after(() => rm(dir, { recursive: true, force: true }));
    const { Wal } = await import('./wal.js');
    const { crc32 } = await import('node:zlib');
    const { appendFile } = await import('node:fs/promises');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(dir, 'wal'), { recursive: true });
    const wal = await Wal.open(join(dir, 'wal'));
    // A record in the first WAL format (an array of entries), as an older version wrote it.
    const v1 = Buffer.from(JSON.stringify([{ labels: { a: '1' }, t: T0, ns: 0, seq: 1, line: 'version 1 record', fields: { k: 'v' } }]));
    const header = Buffer.alloc(8);
    header.writeUInt32LE(v1.length, 0);
    header.writeUInt32LE(crc32(v1), 4);
    const seg = (await readdir(join(dir, 'wal')))[0]!;
    await appendFile(join(dir, 'wal', seg), Buffer.concat([header, v1]));
    await wal.append([{ a: '1' }, { a: '2' }], [[1, T0 + 1, 0, 2, 'kept "quoted"'], [0, T0 + 2, 5, 3, 'also kept', { f: 'x' }]]);
    await wal.close();
    await appendFile(join(dir, 'wal', seg), Buffer.from([50, 0, 0, 0, 1, 2, 3, 4, 91]));
    const store = await LogStore.open(dir);
    const got = await collect(store.select([], 0, Infinity, 'forward'));
    assert.deepEqual(
      got.map((e) => [e.labels, e.line, e.ns, e.fields]),
      [
        [{ a: '1' }, 'version 1 record', 0, { k: 'v' }],
        [{ a: '2' }, 'kept "quoted"', 0, undefined],
        [{ a: '1' }, 'also kept', 5, { f: 'x' }],
      ],
    );
    await store.close();
  });

  test('chunks decode in both formats: rows per text line (version 1) and one JSON array (version 2)', async () => {
    const { decodeChunk, encodeChunk } = await import('./chunk.js');
    const { gzipSync } = await import('node:zlib');
    const labels = { app: 'x' };
    const v1 = gzipSync(Buffer.from(`[${T0},0,1,"a \\"quoted\\" line"]\n[${T0 + 1},7,2,"b",{"k":"v"}]`));
    const want: LogEntry[] = [
      { labels, t: T0, ns: 0, seq: 1, line: 'a "quoted" line' },
      { labels, t: T0 + 1, ns: 7, seq: 2, line: 'b', fields: { k: 'v' } },
    ];
    assert.deepEqual(await decodeChunk(v1, labels, 'v1.chunk'), want);
    assert.deepEqual(await decodeChunk(await encodeChunk(want, 'gzip'), labels, 'v2.chunk'), want);
    assert.deepEqual(await decodeChunk(await encodeChunk(want, 'brotli'), labels, 'v2b.chunk'), want);
    // Reusing the WAL rows' JSON (labels index dropped) gives the very same bytes; rows without one are encoded afresh.
    const walJson = [JSON.stringify([12, T0, 0, 1, 'a "quoted" line']), undefined];
    assert.deepEqual(await encodeChunk(want, 'gzip', walJson), await encodeChunk(want, 'gzip'));
    await assert.rejects(decodeChunk(gzipSync(Buffer.from('[[1,0,1,"x"]')), labels, 'bad.chunk'), /bad\.chunk: not valid JSON/);
  });
});

import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { FakeClock } from '../model/clock.js';
import type { Labels } from '../model/labels.js';
import { newMatcher } from '../model/matcher.js';
import { isStaleNaN, staleNaN } from '../model/sample.js';
import type { StorageSeries } from '../storage/querier.js';
import { StorageError, Tsdb, type TsdbOptions } from './index.js';

const dirs: string[] = [];
async function openTemp(opts: TsdbOptions = {}): Promise<Tsdb> {
  const d = await mkdtemp(join(tmpdir(), 'vigil-tsdb-'));
  dirs.push(d);
  return Tsdb.open(d, { compactIntervalMs: 0, ...opts });
}
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const M = newMatcher('=~', '__name__', '.+');
async function read(db: Tsdb, mint = 0, maxt = Number.MAX_SAFE_INTEGER): Promise<readonly StorageSeries[]> {
  const q = await db.querier(mint, maxt);
  try {
    return await q.select([M], { start: mint, end: maxt });
  } finally {
    q.close();
  }
}

function rejectReason(fn: () => void): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof StorageError) return e.reason;
    throw e;
  }
  return 'accepted';
}

const A: Labels = { __name__: 'm', id: 'a' };
const MIN = 60_000;

/** Appends one sample per series every `step` ms over [from, to) and commits. */
async function fill(db: Tsdb, series: Labels[], from: number, to: number, step: number): Promise<void> {
  const app = db.appender();
  for (let t = from; t < to; t += step) for (const l of series) app.append(l, t, t / 1000);
  await app.commit();
}

describe('ingestion rules', () => {
  test('out-of-order and duplicate samples are refused with reasons and counted', async () => {
    const db = await openTemp();
    const app = db.appender();
    app.append(A, 1000, 1);
    app.append(A, 2000, 2);
    assert.equal(rejectReason(() => app.append(A, 1500, 9)), 'out_of_order');
    assert.equal(rejectReason(() => app.append(A, 2000, 3)), 'duplicate');
    assert.equal(rejectReason(() => app.append(A, 2000, 2)), 'accepted'); // same value: ignored, as Prometheus
    assert.equal(rejectReason(() => app.append(A, 2.5, 2)), 'invalid');
    assert.equal(rejectReason(() => app.append({ x: '' }, 3000, 2)), 'invalid');
    await app.commit();
    const next = db.appender();
    assert.equal(rejectReason(() => next.append(A, 1999, 1)), 'out_of_order');
    assert.equal(rejectReason(() => next.append(A, 2000, 5)), 'duplicate');
    next.append(A, 3000, 3);
    await next.commit();
    const s = db.stats();
    assert.deepEqual(s.rejected, { out_of_order: 2, duplicate: 2, out_of_bounds: 0, too_far_in_future: 0, invalid: 2 });
    assert.equal(s.samplesAppended, 3);
    const [series] = await read(db);
    assert.deepEqual(Array.from(series?.timestamps ?? []), [1000, 2000, 3000]);
    assert.deepEqual(Array.from(series?.values ?? []), [1, 2, 3]);
    await db.close();
  });

  test('a sample a concurrent commit made stale is refused at commit and reported', async () => {
    const db = await openTemp();
    const first = db.appender();
    const second = db.appender();
    first.append(A, 5000, 1);
    second.append(A, 4000, 2);
    second.append(A, 6000, 3);
    await first.commit();
    await second.commit();
    assert.deepEqual(second.result, { appended: 1, rejected: { out_of_order: 1 } });
    assert.equal(db.stats().rejected.out_of_order, 1);
    const [s] = await read(db);
    assert.deepEqual(Array.from(s?.timestamps ?? []), [5000, 6000]);
    await db.close();
  });

  test('rollback discards; nothing is visible before commit', async () => {
    const db = await openTemp();
    const app = db.appender();
    app.append(A, 1000, 1);
    assert.equal((await read(db)).length, 0);
    app.rollback();
    assert.equal((await read(db)).length, 0);
    assert.throws(() => app.append(A, 2000, 1), /after commit or rollback/);
    await db.close();
  });

  test('NaN, ±Inf, -0 and the stale marker survive head, WAL replay and blocks bit for bit', async () => {
    const db = await openTemp({ blockRangeMs: 10 * MIN });
    const app = db.appender();
    const vals = [() => 1, () => NaN, staleNaN, () => Infinity, () => -Infinity, () => -0];
    vals.forEach((v, i) => app.append(A, (i + 1) * 1000, v()));
    await app.commit();
    const check = async (where: string, from = db): Promise<void> => {
      const [s] = await read(from, 0, 10_000);
      assert.ok(s, where);
      assert.equal(s.values.length, 6, where);
      assert.ok(Number.isNaN(s.values[1]) && !isStaleNaN(s.values[1] as number), `${where}: plain NaN`);
      assert.ok(isStaleNaN(s.values[2] as number), `${where}: stale marker`);
      assert.equal(s.values[3], Infinity);
      assert.equal(s.values[4], -Infinity);
      assert.ok(Object.is(s.values[5], -0), `${where}: -0`);
    };
    await check('head');
    await fill(db, [A], 20 * MIN, 40 * MIN, MIN);
    await db.compact();
    assert.equal(db.stats().blocks, 1);
    await check('block');
    await db.close();
    const again = await Tsdb.open(db.dir, { compactIntervalMs: 0 });
    await check('reopened', again);
    await again.close();
  });
});

describe('compaction and retention', () => {
  const series = Array.from({ length: 20 }, (_, i): Labels => ({ __name__: 'load', host: `h${i}` }));

  test('the head is cut into a block; queries span block and head; the WAL shrinks to a checkpoint', async () => {
    const db = await openTemp({ blockRangeMs: 30 * MIN });
    await fill(db, series, 0, 60 * MIN, 15_000);
    await db.compact();
    assert.equal(db.stats().blocks, 1);
    const [meta] = db.blockMetas();
    assert.deepEqual([meta?.minTime, meta?.maxTime], [0, 30 * MIN]);
    assert.equal(meta?.stats.numSeries, 20);
    assert.equal(meta?.stats.numSamples, 20 * 120);
    const walFiles = await readdir(join(db.dir, 'wal'));
    assert.ok(walFiles.some((f) => f.startsWith('checkpoint.')), walFiles.join());
    const out = await read(db, 29 * MIN, 31 * MIN);
    assert.equal(out.length, 20);
    for (const s of out) assert.deepEqual(Array.from(s.timestamps), Array.from({ length: 9 }, (_, i) => 29 * MIN + i * 15_000));
    // The block's range is closed: late samples for it are out of bounds, later ones are fine.
    const app = db.appender();
    assert.throws(() => app.append({ __name__: 'new' }, 10 * MIN, 1), (e: unknown) => e instanceof StorageError && e.reason === 'out_of_bounds');
    app.append({ __name__: 'new' }, 61 * MIN, 1);
    await app.commit();
    await db.close();
    const again = await Tsdb.open(db.dir, { compactIntervalMs: 0, blockRangeMs: 30 * MIN });
    const all = await read(again);
    assert.equal(all.length, 21);
    assert.equal(all.find((s) => s.labels['host'] === 'h3')?.timestamps.length, 240);
    await again.close();
  });

  test('blocks are merged into bigger ones once their range is complete', async () => {
    const db = await openTemp({ blockRangeMs: 10 * MIN });
    for (let m = 0; m < 50; m += 10) {
      await fill(db, series.slice(0, 3), m * MIN, (m + 10) * MIN, MIN);
      await db.compact();
    }
    const metas = db.blockMetas();
    assert.equal(metas[0]?.compaction.level, 2, JSON.stringify(metas));
    assert.deepEqual([metas[0]?.minTime, metas[0]?.maxTime], [0, 30 * MIN]);
    assert.equal(metas[0]?.compaction.sources.length, 3);
    const all = await read(db);
    for (const s of all) assert.equal(s.timestamps.length, 50);
    await db.close();
  });

  test('time retention deletes whole blocks older than the retention', async () => {
    const db = await openTemp({ blockRangeMs: 10 * MIN, retentionMs: 25 * MIN });
    await fill(db, series.slice(0, 2), 0, 60 * MIN, MIN);
    await db.compact();
    const metas = db.blockMetas();
    // Newest sample at 59m: blocks ending at or before 34m are gone.
    assert.ok(metas.every((m) => m.maxTime >= 35 * MIN), JSON.stringify(metas.map((m) => [m.minTime, m.maxTime])));
    assert.ok(metas.length >= 1);
    const [s] = await read(db);
    assert.equal(s?.timestamps[0], metas[0]?.minTime);
    await db.close();
  });

  test('size retention deletes the oldest blocks until under the limit', async () => {
    const db = await openTemp({ blockRangeMs: 10 * MIN });
    await fill(db, series, 0, 60 * MIN, 15_000);
    await db.compact();
    const before = db.stats();
    assert.ok(before.blocks >= 2, `${before.blocks} blocks`);
    await db.close();
    const limit = before.bytesOnDisk - 1;
    const small = await Tsdb.open(db.dir, { blockRangeMs: 10 * MIN, compactIntervalMs: 0, retentionBytes: limit });
    await small.compact();
    const after = small.stats();
    assert.ok(after.bytesOnDisk <= limit, `${after.bytesOnDisk} > ${limit}`);
    assert.ok(after.blocks < before.blocks);
    const oldest = small.blockMetas()[0];
    assert.ok(oldest && oldest.minTime > 0);
    await small.close();
  });

  test('the background loop compacts on the injected clock', async () => {
    const clock = new FakeClock(20 * MIN);
    const db = await openTemp({ blockRangeMs: 10 * MIN, compactIntervalMs: MIN, clock });
    await fill(db, [A], 0, 20 * MIN, MIN);
    assert.equal(db.stats().blocks, 0);
    await clock.advance(MIN);
    for (let i = 0; i < 50 && db.stats().blocks === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(db.stats().blocks, 1);
    await db.close();
    assert.equal(clock.pendingTimers(), 0);
  });
});

describe('persistence', () => {
  test('reopen after close keeps series, samples and ordering state', async () => {
    const db = await openTemp();
    const many = Array.from({ length: 300 }, (_, i): Labels => ({ __name__: 'x', i: String(i) }));
    await fill(db, many, 0, 10 * MIN, 15_000);
    await db.close();
    const again = await Tsdb.open(db.dir, { compactIntervalMs: 0 });
    assert.equal(again.stats().series, 300);
    const all = await read(again);
    assert.equal(all.length, 300);
    for (const s of all) assert.equal(s.timestamps.length, 40);
    const app = again.appender();
    assert.equal(rejectReason(() => app.append(many[5] as Labels, 0, 0)), 'out_of_order');
    app.append(many[5] as Labels, 10 * MIN, 1);
    await app.commit();
    await again.close();
  });

  test('many concurrent commits are all durable (group commit)', async () => {
    const db = await openTemp();
    await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const app = db.appender();
        app.append({ __name__: 'c', i: String(i) }, 1000, i);
        await app.commit();
      }),
    );
    const again = await Tsdb.open(db.dir, { compactIntervalMs: 0 }); // without close: replays the WAL
    assert.equal((await read(again)).length, 40);
    await again.close();
  });
});

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { FakeClock } from '../model/clock.js';
import type { Labels } from '../model/labels.js';
import { newMatcher } from '../model/matcher.js';
import type { StorageSeries } from '../storage/querier.js';
import { StorageError, Tsdb, type TsdbOptions } from './index.js';

const dirs: string[] = [];
const opened: Tsdb[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'vigil-tsdb-safety-'));
  dirs.push(d);
  return d;
}
/** Tsdb.open, closed after the tests even when an assertion fails first. */
async function openDb(dir: string, opts: TsdbOptions): Promise<Tsdb> {
  const db = await Tsdb.open(dir, opts);
  opened.push(db);
  return db;
}
after(async () => {
  for (const db of opened) await db.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const M = newMatcher('=~', '__name__', '.+');

async function read(db: Tsdb, mint = 0, maxt = Number.MAX_SAFE_INTEGER): Promise<readonly StorageSeries[]> {
  const q = await db.querier(mint, maxt);
  try {
    return await q.select([M], { start: mint, end: maxt });
  } finally {
    q.close();
  }
}

async function fill(db: Tsdb, series: readonly Labels[], from: number, to: number, step: number): Promise<number> {
  const app = db.appender();
  let n = 0;
  for (let t = from; t < to; t += step) {
    for (const l of series) {
      app.append(l, t, t / 1000);
      n++;
    }
  }
  await app.commit();
  return n;
}

async function count(db: Tsdb, name: string, mint = 0): Promise<number> {
  let n = 0;
  for (const s of await read(db, mint)) if (s.labels['__name__'] === name) n += s.timestamps.length;
  return n;
}

const series = Array.from({ length: 5 }, (_, i): Labels => ({ __name__: 'load', host: `h${i}` }));

describe('compaction never drops acknowledged samples inside retention', () => {
  // A store holding a sample far ahead of the clock (written before the grace check existed,
  // or with the check turned off) must keep everything else and keep taking current writes.
  for (const ahead of [365 * DAY, 3 * HOUR, 20 * MIN]) {
    test(`one sample ${ahead / MIN} min ahead of the clock`, async () => {
      const start = Date.UTC(2026, 5, 1, 0, 0, 0);
      const clock = new FakeClock(start + 6 * HOUR);
      const opts: TsdbOptions = { clock, blockRangeMs: 2 * HOUR, compactIntervalMs: MIN, retentionMs: 15 * DAY, creationGracePeriodMs: 0 };
      const dir = await tempDir();
      const db = await openDb(dir, opts);
      const acked = await fill(db, series, start, start + 6 * HOUR, 15_000);
      const app = db.appender();
      app.append({ __name__: 'future', job: 'x' }, clock.now() + ahead, 1);
      await app.commit();
      for (let i = 0; i < 5; i++) {
        await clock.advance(MIN);
        await db.compact();
      }
      assert.equal(await count(db, 'load'), acked, 'every acknowledged sample is still queryable');
      assert.equal(await count(db, 'future'), 1);
      assert.ok(db.stats().blocks >= 1, 'the old head ranges were written to blocks');
      // Current writes are still accepted.
      const now = db.appender();
      for (const l of series) now.append(l, clock.now(), 1);
      await now.commit();
      assert.equal(await count(db, 'load'), acked + series.length);
      await db.close();
      const again = await openDb(dir, { ...opts, compactIntervalMs: 0 });
      assert.equal(await count(again, 'load'), acked + series.length, 'and after a restart');
      await again.close();
    });
  }

  test('retention counts from the clock, not from a sample far ahead of it', async () => {
    const start = Date.UTC(2026, 5, 1);
    const clock = new FakeClock(start + 10 * HOUR);
    const dir = await tempDir();
    const db = await openDb(dir, { clock, blockRangeMs: 2 * HOUR, compactIntervalMs: 0, retentionMs: 2 * DAY, creationGracePeriodMs: 0 });
    const acked = await fill(db, series, start, start + 10 * HOUR, MIN);
    const app = db.appender();
    app.append({ __name__: 'future', job: 'x' }, start + 400 * DAY, 1);
    await app.commit();
    await db.compact();
    assert.ok(db.stats().blocks >= 1);
    assert.equal(await count(db, 'load'), acked);
    await db.close();
  });

  test('a chunk that straddles block boundaries (the block range changed) is split, not dropped', { timeout: 30_000 }, async () => {
    const start = Date.UTC(2026, 5, 1);
    const dir = await tempDir();
    const clock = new FakeClock(start + 5 * HOUR);
    // Written with 4h chunk ranges (one full chunk of 120 samples spans 4h), then reopened with
    // 1h blocks: that sealed chunk crosses three block boundaries.
    const first = await openDb(dir, { clock, blockRangeMs: 4 * HOUR, compactIntervalMs: 0 });
    const acked = await fill(first, series, start, start + 5 * HOUR, 2 * MIN);
    await first.close();
    const db = await openDb(dir, { clock, blockRangeMs: HOUR, compactIntervalMs: 0 });
    await db.compact();
    const metas = db.blockMetas();
    assert.ok(metas.length >= 1);
    assert.equal(metas[metas.length - 1]?.maxTime, start + 4 * HOUR);
    assert.equal(await count(db, 'load'), acked);
    await db.close();
    const again = await openDb(dir, { clock, blockRangeMs: HOUR, compactIntervalMs: 0 });
    assert.equal(await count(again, 'load'), acked);
    await again.close();
  });
});

describe('creation grace period', () => {
  test('a sample later than now + the grace period is refused; one inside it is taken', async () => {
    const clock = new FakeClock(Date.UTC(2026, 5, 1));
    const db = await openDb(await tempDir(), { clock, compactIntervalMs: 0 });
    const app = db.appender();
    app.append({ __name__: 'x' }, clock.now() + 10 * MIN, 1);
    assert.throws(
      () => app.append({ __name__: 'y' }, clock.now() + 10 * MIN + 1, 1),
      (e: unknown) => e instanceof StorageError && e.reason === 'too_far_in_future' && /too far in the future/.test(e.message) && /2026-06-01T00:10:00.001Z/.test(e.message),
    );
    await app.commit();
    assert.equal(db.stats().rejected.too_far_in_future, 1);
    assert.equal(await count(db, 'x'), 1);
    await db.close();
  });

  test('the grace period is configurable; 0 turns the check off', async () => {
    const clock = new FakeClock(Date.UTC(2026, 5, 1));
    const strict = await openDb(await tempDir(), { clock, compactIntervalMs: 0, creationGracePeriodMs: MIN });
    assert.throws(() => strict.appender().append({ __name__: 'x' }, clock.now() + 2 * MIN, 1), /too far in the future/);
    await strict.close();
    const off = await openDb(await tempDir(), { clock, compactIntervalMs: 0, creationGracePeriodMs: 0 });
    const app = off.appender();
    app.append({ __name__: 'x' }, clock.now() + 365 * DAY, 1);
    await app.commit();
    await off.close();
  });
});

describe('label limits', () => {
  test('a new series over the limits is refused as invalid, naming the label; series already stored stay readable', async () => {
    const dir = await tempDir();
    const clock = new FakeClock(Date.UTC(2026, 5, 1));
    const loose = await openDb(dir, { clock, compactIntervalMs: 0, labelLimits: { maxNameLength: 0, maxValueLength: 0, maxLabels: 0 } });
    const app = loose.appender();
    app.append({ __name__: 'old', v: 'x'.repeat(5000) }, clock.now(), 1);
    await app.commit();
    await loose.close();
    const db = await openDb(dir, { clock, compactIntervalMs: 0 });
    assert.equal(await count(db, 'old'), 1, 'replayed whatever the limits now are');
    const next = db.appender();
    assert.throws(
      () => next.append({ __name__: 'new', v: 'x'.repeat(5000) }, clock.now(), 1),
      (e: unknown) => e instanceof StorageError && e.reason === 'invalid' && /the value of label "v" is 5,000 bytes long, longer than the limit of 2,048 \(metrics\.max_label_value_length\)/.test(e.message) && e.message.length < 500,
    );
    next.append({ __name__: 'old', v: 'x'.repeat(5000) }, clock.now() + 1000, 2);
    await next.commit();
    assert.equal(await count(db, 'old'), 2);
    await db.close();
  });
});

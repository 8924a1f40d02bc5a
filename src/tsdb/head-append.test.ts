import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { Labels } from '../model/labels.js';
import { newMatcher } from '../model/matcher.js';
import type { SeriesRef } from '../storage/appender.js';
import { StorageError, Tsdb } from './index.js';

const dirs: string[] = [];
async function openTemp(): Promise<Tsdb> {
  const d = await mkdtemp(join(tmpdir(), 'vigil-head-append-'));
  dirs.push(d);
  return Tsdb.open(d, { compactIntervalMs: 0 });
}
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function dump(db: Tsdb): Promise<Array<[string, number[], number[]]>> {
  const q = await db.querier(0, Number.MAX_SAFE_INTEGER);
  try {
    const got = await q.select([newMatcher('=~', '__name__', '.+')], { start: 0, end: Number.MAX_SAFE_INTEGER });
    return got.map((s) => [JSON.stringify(s.labels), Array.from(s.timestamps), Array.from(s.values)]);
  } finally {
    q.close();
  }
}

const HOUR = 3_600_000;

describe('HeadAppender.appendCached', () => {
  test('stores exactly what append() stores, reusing the returned handle', async () => {
    const a = await openTemp();
    const b = await openTemp();
    const sets: Labels[] = [{ __name__: 'x', i: '1' }, { __name__: 'x', i: '2' }, { __name__: 'y' }];
    const refs: Array<SeriesRef | undefined> = sets.map(() => undefined);
    for (let round = 0; round < 5; round++) {
      const appA = a.appender();
      const appB = b.appender();
      for (const [k, l] of sets.entries()) {
        appA.append(l, 1000 * round + k, round * 10 + k);
        const r = appB.appendCached(refs[k], l, 1000 * round + k, round * 10 + k);
        if (round > 0) assert.equal(r, refs[k], 'the same handle for the same series');
        refs[k] = r;
      }
      await appA.commit();
      await appB.commit();
    }
    assert.deepEqual(await dump(b), await dump(a));
    await a.close();
    await b.close();
  });

  test('a handle for another label set, or of a series dropped from the head, is not trusted', async () => {
    const db = await openTemp();
    let app = db.appender();
    const x = app.appendCached(undefined, { __name__: 'x' }, 1000, 1);
    app.appendCached(x, { __name__: 'y' }, 1000, 2); // wrong handle: labels win
    await app.commit();
    assert.deepEqual(await dump(db), [
      ['{"__name__":"x"}', [1000], [1]],
      ['{"__name__":"y"}', [1000], [2]],
    ]);
    // Data past 1.5 block ranges: the block cut drops x (no samples left in the head).
    app = db.appender();
    app.appendCached(undefined, { __name__: 'z' }, 4 * HOUR, 0);
    await app.commit();
    await db.compact();
    app = db.appender();
    const x2 = app.appendCached(x, { __name__: 'x' }, 4 * HOUR + 1000, 3);
    await app.commit();
    assert.notEqual(x2, x, 'the dropped series was looked up (re-created) again');
    const got = await dump(db);
    assert.deepEqual(got.find(([l]) => l === '{"__name__":"x"}'), ['{"__name__":"x"}', [1000, 4 * HOUR + 1000], [1, 3]]);
    await db.close();
  });

  test('out-of-order and duplicate samples within a batch are refused at append, also with two appenders open on one series', async () => {
    const db = await openTemp();
    const l = { __name__: 'x' };
    const first = db.appender();
    const second = db.appender();
    let r1 = first.appendCached(undefined, l, 5000, 1);
    const r2 = second.appendCached(undefined, l, 7000, 1); // the series' batch slot is held by `first`
    second.appendCached(r2, l, 8000, 2);
    const reason = (fn: () => void): string => {
      try {
        fn();
        return 'accepted';
      } catch (e) {
        return e instanceof StorageError ? e.reason : String(e);
      }
    };
    assert.equal(reason(() => second.appendCached(r2, l, 7500, 3)), 'out_of_order');
    assert.equal(reason(() => second.appendCached(r2, l, 8000, 4)), 'duplicate');
    assert.equal(reason(() => first.appendCached(r1, l, 4000, 3)), 'out_of_order');
    r1 = first.appendCached(r1, l, 6000, 2);
    await first.commit();
    // `first` released the slot: `second` now uses it, and still sees its own pending 8000.
    assert.equal(reason(() => second.appendCached(r2, l, 8000, 5)), 'duplicate');
    second.appendCached(r2, l, 9000, 3);
    await second.commit();
    assert.deepEqual(await dump(db), [['{"__name__":"x"}', [5000, 6000, 7000, 8000, 9000], [1, 2, 1, 2, 3]]]);
    await db.close();
  });
});

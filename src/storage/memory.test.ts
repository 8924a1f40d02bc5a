import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { newMatcher } from '../model/matcher.js';
import { isStaleNaN, staleNaN } from '../model/sample.js';
import { MemoryQueryable } from './memory.js';

describe('MemoryQueryable', () => {
  test('selects by matchers and time range, sorting out-of-order appends and keeping stale markers', async () => {
    const s = new MemoryQueryable();
    s.add({ __name__: 'up', job: 'a' }, 2000, 2);
    s.add({ __name__: 'up', job: 'a' }, 1000, 1);
    s.add({ __name__: 'up', job: 'a' }, 3000, staleNaN());
    s.add({ __name__: 'up', job: 'b', env: '' }, 1000, 5);
    const q = await s.querier();
    const got = await q.select([newMatcher('=', '__name__', 'up'), newMatcher('=~', 'job', 'a|c')], { start: 0, end: 5000 });
    assert.equal(got.length, 1);
    assert.deepEqual(Array.from(got[0]?.timestamps ?? []), [1000, 2000, 3000]);
    assert.ok(isStaleNaN(got[0]?.values[2] as number));
    const ranged = await q.select([newMatcher('=', 'job', 'a')], { start: 1500, end: 2500 });
    assert.deepEqual(Array.from(ranged[0]?.values ?? []), [2]);
    assert.deepEqual(await q.labelNames([]), ['__name__', 'job']);
    assert.deepEqual(await q.labelValues('job', [newMatcher('=', '__name__', 'up')]), ['a', 'b']);
  });

  test('exposes start timestamps and histogram presence', async () => {
    const s = new MemoryQueryable();
    s.add({ __name__: 'c' }, 1000, 1, 500);
    s.addHistogram({ __name__: 'h' }, 1000);
    const q = await s.querier();
    const [c] = await q.select([newMatcher('=', '__name__', 'c')], { start: 0, end: 2000 });
    assert.deepEqual(Array.from(c?.startTimestamps ?? []), [500]);
    const [h] = await q.select([newMatcher('=', '__name__', 'h')], { start: 0, end: 2000 });
    assert.equal(h?.histogramCount, 1);
  });
});

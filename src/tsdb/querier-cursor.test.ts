import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { newMatcher } from '../model/matcher.js';
import { staleNaN } from '../model/sample.js';
import { rng } from '../../test/helpers/rng.js';
import { floatBits, HI, LO } from './bytes.js';
import { Head, type MemSeries } from './head.js';
import { TsdbQuerier } from './querier.js';

const HOUR = 3_600_000;
const M = newMatcher('=', '__name__', 'm');
const b = new Uint32Array(2);

/** Every sample appended, per series, as raw bits: the reference a select must reproduce. */
type Model = Map<MemSeries, Array<[number, number, number]>>;

function append(head: Head, model: Model, s: MemSeries, t: number, v: number): void {
  floatBits(v, b);
  const hi = b[0] as number;
  const lo = b[1] as number;
  assert.equal(head.check(s, t, hi, lo), 'ok');
  head.append(s, t, hi, lo);
  model.get(s)?.push([t, hi, lo]);
}

async function selectBits(head: Head, start: number, end: number): Promise<Array<Array<[number, number, number]>>> {
  const q = new TsdbQuerier(head, [], start, end);
  try {
    const got = await q.select([M], { start, end });
    return got.map((s) => {
      const words = new Uint32Array(Float64Array.from(s.values).buffer);
      return Array.from(s.timestamps, (t, i) => [t, words[2 * i + HI] as number, words[2 * i + LO] as number] as [number, number, number]);
    });
  } finally {
    q.close();
  }
}

function expected(model: Model, series: readonly MemSeries[], start: number, end: number): Array<Array<[number, number, number]>> {
  return series.map((s) => (model.get(s) ?? []).filter(([t]) => t >= start && t <= end)).filter((x) => x.length > 0);
}

describe('head read cursors', () => {
  test('selects equal a full decode while samples are appended between queries, across chunk cuts and stale markers', async () => {
    const head = new Head(2 * HOUR);
    const model: Model = new Map();
    const series = ['a', 'b', 'c'].map((id) => head.getOrCreate({ __name__: 'm', id }));
    for (const s of series) model.set(s, []);
    const r = rng(99);
    const t0 = 1_767_225_600_000 + 7 * 60_000; // not block aligned: cuts at 120 samples and at 2h
    let t = t0;
    let usedCursor = 0;
    for (let round = 0; round < 700; round++) {
      t += 15_000 + (r() < 0.1 ? Math.floor(r() * 5000) : 0);
      for (const [i, s] of series.entries()) {
        if (i === 2 && round % 50 >= 40) continue; // a gap: series c stops for a while
        const v = r() < 0.05 ? staleNaN() : i === 0 ? round * 3 : Math.round(r() * 1000) / 8;
        append(head, model, s, t, v);
      }
      // An instant-query-like window at "now", and now and then a longer one reaching into older chunks.
      const windows: Array<[number, number]> = [[t - 300_000, t]];
      if (round % 37 === 0) windows.push([t - HOUR, t - 60_000]);
      if (round % 53 === 0) windows.push([t - 300_000 - Math.floor(r() * HOUR), t]);
      for (const [start, end] of windows) {
        const before = series.map((s) => s.cursor);
        assert.deepEqual(await selectBits(head, start, end), expected(model, series, start, end), `round ${round} [${start - t0}, ${end - t0}]`);
        for (const [i, s] of series.entries()) if (before[i] !== undefined && before[i] === s.cursor) usedCursor++;
      }
    }
    assert.ok(series.every((s) => s.chunks.length >= 4), `the test crossed several chunk cuts: ${series.map((s) => s.chunks.length).join(',')}`);
    assert.ok(usedCursor > 0, 'queries resumed from cursors');
  });

  test('a cursor moves to the sealed copy of its chunk, and is dropped with the chunk', async () => {
    const head = new Head(2 * HOUR);
    const model: Model = new Map();
    const s = head.getOrCreate({ __name__: 'm' });
    model.set(s, []);
    const t0 = 1_767_225_600_000;
    for (let i = 0; i < 100; i++) append(head, model, s, t0 + i * 15_000, i);
    await selectBits(head, t0 + 90 * 15_000, t0 + 99 * 15_000);
    assert.equal(s.cursor?.owner, s.open);
    for (let i = 100; i < 130; i++) append(head, model, s, t0 + i * 15_000, i); // cuts at 120
    assert.equal(s.cursor?.owner, s.chunks[0], 'moved to the sealed chunk');
    const start = t0 + 95 * 15_000;
    assert.deepEqual(await selectBits(head, start, t0 + 200 * 15_000), expected(model, [s], start, Infinity));
    head.truncate(t0 + 125 * 15_000);
    assert.equal(s.chunks.length, 0);
    assert.equal(s.cursor, undefined, 'dropped with its chunk');
    // Everything older than the truncation time goes, the open chunk's older samples too.
    assert.deepEqual(await selectBits(head, t0, t0 + 200 * 15_000), expected(model, [s], t0 + 125 * 15_000, Infinity));
  });

  test('selects stay exact when the arena outgrows its estimate (samples bunched in time, stale markers kept)', async () => {
    const head = new Head(2 * HOUR);
    const model: Model = new Map();
    const t0 = 1_767_225_600_000;
    const series = ['a', 'b', 'c', 'd'].map((id) => head.getOrCreate({ __name__: 'm', id }));
    for (const [k, s] of series.entries()) {
      model.set(s, []);
      // One early sample, then a burst at the end of the chunk's span: the time-based estimate
      // for a window over the burst is a few samples, the truth is ~100.
      append(head, model, s, t0, 1);
      for (let i = 0; i < 100; i++) append(head, model, s, t0 + HOUR + i * 10, i % 10 === k ? staleNaN() : i + k);
    }
    const start = t0 + HOUR;
    const end = t0 + HOUR + 5_000;
    assert.deepEqual(await selectBits(head, start, end), expected(model, series, start, end));
  });
});

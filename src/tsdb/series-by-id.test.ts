import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeriesById } from './series-by-id.js';

test('get, set, delete, size and values in ref order across pages', () => {
  const m = new SeriesById<string>();
  const refs = [1, 2, 16383, 16384, 40000, 100_000];
  for (const r of [...refs].reverse()) m.set(r, `s${r}`);
  assert.equal(m.size, refs.length);
  assert.deepEqual([...m.values()], refs.map((r) => `s${r}`));
  assert.equal(m.get(40000), 's40000');
  assert.equal(m.get(3), undefined);
  assert.equal(m.get(5_000_000), undefined);
  m.set(2, 'again'); // replacing keeps the count
  assert.equal(m.size, refs.length);
  assert.equal(m.delete(2), true);
  assert.equal(m.delete(2), false);
  assert.equal(m.delete(7_000_000), false);
  assert.equal(m.size, refs.length - 1);
  assert.deepEqual([...m.values()], ['s1', 's16383', 's16384', 's40000', 's100000']);
});

test('a page whose series are all gone is released, and can be used again', () => {
  const m = new SeriesById<number>();
  for (let r = 0; r < 40_000; r++) m.set(r, r);
  for (let r = 0; r < 16_384; r++) m.delete(r);
  const pages = (m as unknown as { pages: unknown[] }).pages;
  assert.equal(pages[0], undefined, 'first page released');
  assert.notEqual(pages[1], undefined);
  assert.equal(m.size, 40_000 - 16_384);
  m.set(5, 5);
  assert.equal(m.get(5), 5);
  assert.equal(m.size, 40_000 - 16_384 + 1);
});

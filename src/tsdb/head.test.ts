import { NO_LABEL_LIMITS } from '../model/label-limits.js';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { canonical, canonicalLabels, Head, openChunkBytes, seriesKey } from './head.js';

describe('series keys', () => {
  const sets: Array<Record<string, string>> = [
    { __name__: 'm', v: 'plain' },
    { __name__: 'm', v: 'café' }, // latin1 beyond ASCII
    { __name__: 'm', v: '日本' }, // above U+00FF: the joined-string path
    { __name__: 'm', v: '日本x' },
    { __name__: 'm', v: '1:a' }, // digits and ':' inside values cannot run into the next label
    { __name__: 'm', v: '1', a: ':a' },
    { __name__: 'm', w: 'x'.repeat(5000) }, // longer than the scratch buffer
    { __name__: 'm', w: 'x'.repeat(5000), z: '日' },
  ];

  test('distinct label sets get distinct keys; the same set the same key, whichever way it is given', () => {
    const keys = sets.map((l) => canonical(l));
    assert.equal(new Set(keys).size, sets.length);
    for (const [i, l] of sets.entries()) {
      const sorted = Object.fromEntries(Object.entries(l).sort(([a], [b]) => (a < b ? -1 : 1)));
      assert.equal(seriesKey(sorted), keys[i], `seriesKey of ${JSON.stringify(l).slice(0, 40)}`);
      // Reversed and with an empty value: canonical() copies, sorts and drops it.
      const messy: Record<string, string> = { zz: '' };
      for (const n of Object.keys(l).reverse()) messy[n] = l[n] as string;
      assert.equal(canonical(messy), keys[i]);
      assert.deepEqual(canonicalLabels, sorted);
    }
    assert.equal(canonical({ __name__: 'm', v: '日本' }), '8:__name__1:m1:v2:日本');
    assert.equal(canonical({ __name__: 'm', v: 'café' }), '8:__name__1:m1:v4:café');
  });

  test('the head keeps one series per label set, wide characters included', () => {
    const head = new Head(7_200_000);
    head.labelLimits = NO_LABEL_LIMITS; // the sets include a 5,000-character value (key buffer growth)
    const first = sets.map((l) => head.lookupOrCreate(l));
    assert.equal(new Set(first).size, sets.length);
    for (const [i, l] of sets.entries()) assert.equal(head.lookupOrCreate({ ...l }), first[i]);
    assert.equal(head.series.size, sets.length);
  });
});

describe('the newest sample decides out-of-order and duplicates', () => {
  const bitsOf = (v: number): [number, number] => {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, v);
    return [view.getUint32(0), view.getUint32(4)];
  };

  test('from the open chunk, and from the newest sealed chunk once none is open', () => {
    const head = new Head(7_200_000);
    const s = head.lookupOrCreate({ __name__: 'm' });
    assert.equal(head.check(s, 1000, ...bitsOf(1)), 'ok', 'no samples yet');
    for (const [t, v] of [
      [1000, 1],
      [2000, 2.5],
    ] as const)
      head.append(s, t, ...bitsOf(v));
    const expectations = (when: string): void => {
      assert.equal(head.check(s, 2000, ...bitsOf(2.5)), 'skip', `${when}: same time, same value`);
      assert.equal(head.check(s, 2000, ...bitsOf(3)), 'duplicate', `${when}: same time, other value`);
      assert.equal(head.check(s, 1500, ...bitsOf(2.5)), 'out_of_order', when);
      assert.equal(head.check(s, 2001, ...bitsOf(2.5)), 'ok', when);
    };
    expectations('open chunk');
    head.sealBefore(3000);
    assert.equal(s.open, null);
    assert.equal(s.chunks.length, 1);
    expectations('sealed chunk');
    head.append(s, 2001, ...bitsOf(7));
    assert.equal(head.check(s, 2001, ...bitsOf(7)), 'skip', 'a new chunk opened after the sealed one');
    assert.equal(head.check(s, 2000, ...bitsOf(2.5)), 'out_of_order');
  });
});

describe('open chunk sizing', () => {
  test('a new open chunk reserves a little more than the series\' previous chunk took, so it does not grow', () => {
    const head = new Head(2 * 3600_000);
    const s = head.getOrCreate({ __name__: 'm' });
    const t0 = 236_112 * 7_200_000; // at a block boundary: 360 samples at 15 s fit in one range
    // Noisy values: each chunk of 120 samples takes well over the initial 48 bytes.
    let x = 1;
    const next = () => (x = (x * 1103515245 + 12345) >>> 0);
    for (let i = 0; i < 241; i++) head.append(s, t0 + i * 15_000, next(), next());
    const first = s.chunks[0];
    assert.ok(first && first.bytes.length > 200, `first chunk ${first?.bytes.length} bytes`);
    const open = s.open;
    assert.ok(open);
    // Still the region it was given when the chunk was cut: reserved from the previous chunk, never grown.
    assert.equal(open.count, 1);
    assert.ok(open.length < 48 && (s.chunks[1]?.bytes.length ?? 0) > 200);
    const region = open.buf;
    const off = open.off;
    for (let i = 241; i < 360; i++) head.append(s, t0 + i * 15_000, next(), next());
    assert.equal(s.open, open, 'same chunk (120 samples, not cut yet)');
    assert.equal(open.buf, region);
    assert.equal(open.off, off);
  });

  test('openChunkBytes', () => {
    assert.equal(openChunkBytes(0), 48);
    assert.equal(openChunkBytes(10), 48);
    assert.equal(openChunkBytes(400), 458);
  });
});

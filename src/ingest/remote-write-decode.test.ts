import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Labels } from '../model/labels.js';
import { BadRequestError, decodeFlat, newLabelCache, RemoteWriteDecoder, SCRATCH_MAX_BYTES, snappyDecodeBody, type DecodedBatch, type LabelCache } from './remote-write-decode.js';
import { snappyDecode, snappyEncode } from './snappy.js';
import { encodeWriteRequest, encodeWriteRequestProto, SeriesTable, type ProtoLabel, type TimeSeries } from './remote-write.js';

const T0 = 1_700_000_000_000;

/** Labels in the order given (callers sort them; unsorted ones make bad requests). */
const pl = (...kv: string[]): ProtoLabel[] => {
  const out: ProtoLabel[] = [];
  for (let i = 0; i < kv.length; i += 2) out.push({ name: kv[i] as string, value: kv[i + 1] as string });
  return out;
};
const series = (labels: ProtoLabel[], ...values: number[]): TimeSeries => ({
  labels,
  samples: values.map((value, i) => ({ value, timestamp: T0 + i * 1000 })),
});
const body = (...ts: TimeSeries[]): Uint8Array => encodeWriteRequest({ timeseries: ts });

const A = pl('__name__', 'a', 'job', 'x');
const B = pl('__name__', 'b', 'job', 'x');
const C = pl('__name__', 'c', 'job', 'x');
const D = pl('__name__', 'd', 'job', 'x');
const E = pl('__name__', 'e', 'job', 'x');
const UNSORTED = pl('__name__', 'u', 'z', '1', 'b', '2');
const NO_NAME = pl('job', 'x');
const CORRUPT_SNAPPY = new Uint8Array([0x05, 0x00, 0x61]);

/**
 * The receiving side's view of the decoder's string numbering, kept independently of
 * SeriesTable: newSets() resolves a batch's new label sets to [id, [name, value, ...]].
 */
class Strings {
  list: string[] = [];
  newSets(b: DecodedBatch): Array<[number, string[]]> {
    if (b.reset) this.list = [];
    this.list.push(...b.newStrings);
    const out: Array<[number, string[]]> = [];
    let at = 0;
    for (let k = 0; k < b.newIds.length; k++) {
      const n = 2 * (b.newSizes[k] as number);
      out.push([b.newIds[k] as number, Array.from(b.newLabels).slice(at, at + n).map((i) => this.list[i] as string)]);
      at += n;
    }
    assert.equal(at, b.newLabels.length, 'newSizes account for every number in newLabels');
    assert.equal(new Set(this.list).size, this.list.length, 'a string is numbered once');
    return out;
  }
}
const flatOf = (ls: ProtoLabel[]): string[] => ls.flatMap((l) => [l.name, l.value]);

function badRequest(fn: () => unknown, re: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof BadRequestError && re.test(e.message), String(re));
}

/** A RemoteWriteDecoder whose every batch also comes with its new label sets resolved (`sets`). */
function decoder(maxLabelSets?: number) {
  const d = new RemoteWriteDecoder(maxLabelSets);
  const strings = new Strings();
  return {
    decode(buf: Uint8Array): DecodedBatch & { sets: Array<[number, string[]]> } {
      const b = d.decode(buf);
      return { ...b, sets: strings.newSets(b) };
    },
    get size() {
      return d.size;
    },
  };
}

describe('RemoteWriteDecoder numbering', () => {
  test('a label set keeps its number across requests and its labels travel only the first time', () => {
    const d = decoder();
    const b1 = d.decode(body(series(A, 1, 2), series(B, 3)));
    assert.deepEqual([...b1.series], [0, 1]);
    assert.deepEqual([...b1.sampleEnd], [2, 3]);
    assert.deepEqual([...b1.ts], [T0, T0 + 1000, T0]);
    assert.deepEqual([...b1.values], [1, 2, 3]);
    assert.deepEqual(b1.sets, [
      [0, flatOf(A)],
      [1, flatOf(B)],
    ]);
    assert.deepEqual(b1.newStrings, ['__name__', 'a', 'job', 'x', 'b'], 'each string crosses once');
    assert.equal(b1.reset, false);

    const b2 = d.decode(body(series(B, 4), series(C, 5), series(A, 6)));
    assert.deepEqual([...b2.series], [1, 2, 0]);
    assert.deepEqual(b2.sets, [[2, flatOf(C)]], 'only the new label set carries labels');
    assert.deepEqual(b2.newStrings, ['c']);
    assert.deepEqual([...b2.values], [4, 5, 6]);
    assert.equal(b2.reset, false);
    assert.equal(d.size, 3);

    const b3 = d.decode(body(series(A, 7)));
    assert.deepEqual([...b3.series], [0]);
    assert.deepEqual(b3.sets, []);
    assert.deepEqual(b3.newStrings, []);
  });

  test('the same series twice in one request: one number, labels sent once', () => {
    const d = decoder();
    const b = d.decode(body(series(A, 1), series(B, 2), series(A, 3, 4)));
    assert.deepEqual([...b.series], [0, 1, 0]);
    assert.deepEqual([...b.sampleEnd], [1, 2, 4]);
    assert.deepEqual([...b.values], [1, 2, 3, 4]);
    assert.deepEqual(b.sets, [
      [0, flatOf(A)],
      [1, flatOf(B)],
    ]);
  });

  test('an empty request and a series without samples', () => {
    const d = decoder();
    const empty = d.decode(body());
    assert.equal(empty.series.length, 0);
    assert.deepEqual(empty.sets, []);
    const b = d.decode(body(series(A), series(B, 1)));
    assert.deepEqual([...b.series], [0, 1]);
    assert.deepEqual([...b.sampleEnd], [0, 1]);
  });

  test('label names are checked for order, duplicates and emptiness as JavaScript strings compare, non-ASCII names included', () => {
    const d = decoder();
    // U+1F600 (a surrogate pair, 0xD83D…) sorts before U+FF5E as strings, after it as UTF-8 bytes.
    const ok = d.decode(body(series(pl('__name__', 'm', 'a', '1', 'aé', '2', 'b', '3', '\u{1F600}', '4', '\uff5e', '5'), 1)));
    assert.deepEqual(ok.sets, [[0, ['__name__', 'm', 'a', '1', 'aé', '2', 'b', '3', '\u{1F600}', '4', '\uff5e', '5']]]);
    badRequest(() => d.decode(body(series(pl('__name__', 'm', '\uff5e', '1', '\u{1F600}', '2'), 1))), /^timeseries 0: labels are not sorted by name \("😀" after "～"\)$/);
    badRequest(() => d.decode(body(series(pl('__name__', 'm', 'é', '1', 'é', '2'), 1))), /^timeseries 0: duplicate label name "é"$/);
    badRequest(() => d.decode(body(series(pl('__name__', 'm', 'job', '1', 'job', '2'), 1))), /^timeseries 0: duplicate label name "job"$/);
    badRequest(() => d.decode(body(series(pl('__name__', 'm', 'jobs', '1', 'job', '2'), 1))), /^timeseries 0: labels are not sorted by name \("job" after "jobs"\)$/);
    badRequest(() => d.decode(body(series(pl('', 'x', '__name__', 'm'), 1))), /^timeseries 0: empty label name$/);
    badRequest(() => d.decode(body(series(pl('__name__', '', 'job', 'x'), 1))), /^timeseries 0: missing __name__ label$/);
    assert.equal(d.size, 1);
  });

  test('a bad request throws BadRequestError and hands out no number; the next good one still carries the labels', () => {
    const d = decoder();
    d.decode(body(series(A, 1)));
    badRequest(() => d.decode(body(series(A, 1), series(C, 1), series(UNSORTED, 1))), /^timeseries 2: labels are not sorted by name \("b" after "z"\)$/);
    badRequest(() => d.decode(body(series(D, 1), series(NO_NAME, 1))), /^timeseries 1: missing __name__ label$/);
    badRequest(() => d.decode(CORRUPT_SNAPPY), /^snappy: /);
    badRequest(() => d.decode(body(series(B, 1)).subarray(0, 5)), /^snappy: /);
    // A truncated protobuf inside valid snappy.
    const proto = encodeWriteRequestProto({ timeseries: [series(E, 1)] });
    badRequest(() => d.decode(snappyEncode(proto.subarray(0, proto.length - 2))), /runs past the end .* \(in timeseries 0\)/);

    // Numbering continues from 1 without gaps, and every label set new to the receiving side comes with its labels.
    const b = d.decode(body(series(C, 2), series(A, 2), series(D, 2), series(E, 2)));
    assert.deepEqual([...b.series], [1, 0, 2, 3]);
    assert.deepEqual(b.sets, [
      [1, flatOf(C)],
      [2, flatOf(D)],
      [3, flatOf(E)],
    ]);
    assert.deepEqual(b.newStrings, ['c', 'd', 'e'], 'no string was numbered by the failed requests');
    assert.equal(b.reset, false);
    assert.equal(d.size, 4);
  });

  test('a full table starts over: the next batch says reset and numbers from 0 again', () => {
    const d = decoder(3);
    assert.deepEqual([...d.decode(body(series(A, 1), series(B, 1))).series], [0, 1]);
    const b2 = d.decode(body(series(C, 1)));
    assert.deepEqual([...b2.series], [2]);
    assert.equal(b2.reset, false);
    assert.equal(d.size, 3);

    const b3 = d.decode(body(series(A, 2), series(D, 2)));
    assert.equal(b3.reset, true);
    assert.deepEqual([...b3.series], [0, 1]);
    assert.deepEqual(b3.sets, [
      [0, flatOf(A)],
      [1, flatOf(D)],
    ], 'label sets known before the reset are sent again');
    assert.deepEqual(b3.newStrings, ['__name__', 'a', 'job', 'x', 'd'], 'strings are numbered afresh too');
    const b4 = d.decode(body(series(D, 3), series(A, 3)));
    assert.equal(b4.reset, false);
    assert.deepEqual([...b4.series], [1, 0]);
    assert.deepEqual(b4.sets, []);
  });

  test('a request more than the table holds is numbered whole, and the table resets on the next one', () => {
    const d = decoder(2);
    const b1 = d.decode(body(series(A, 1), series(B, 1), series(C, 1), series(D, 1)));
    assert.deepEqual([...b1.series], [0, 1, 2, 3]);
    assert.equal(b1.reset, false);
    const b2 = d.decode(body(series(D, 2)));
    assert.equal(b2.reset, true);
    assert.deepEqual(b2.sets, [[0, flatOf(D)]]);
  });

  test('many distinct strings also make the table start over', () => {
    const d = decoder(3);
    // One label set, but 2 * 3 distinct strings.
    d.decode(body(series(pl('__name__', 'a', 'k1', 'v1', 'k2', 'v2'), 1)));
    assert.equal(d.size, 1);
    const b = d.decode(body(series(A, 2)));
    assert.equal(b.reset, true);
    assert.deepEqual(b.sets, [[0, flatOf(A)]]);
  });

  test('when the decode right after the reset point fails, the next successful batch still says reset', () => {
    const d = decoder(3);
    d.decode(body(series(A, 1), series(B, 1), series(C, 1)));
    assert.equal(d.size, 3);
    // The table is full: this request empties it, then fails.
    badRequest(() => d.decode(body(series(A, 2), series(UNSORTED, 2))), /not sorted/);
    badRequest(() => d.decode(CORRUPT_SNAPPY), /^snappy: /);
    const b = d.decode(body(series(B, 3), series(A, 3)));
    assert.equal(b.reset, true, 'the reset must reach the receiving side even though the batch at the reset point failed');
    assert.deepEqual([...b.series], [0, 1]);
    assert.deepEqual(b.sets, [
      [0, flatOf(B)],
      [1, flatOf(A)],
    ]);
    const after = d.decode(body(series(A, 4)));
    assert.equal(after.reset, false, 'reset is said once');
    assert.deepEqual([...after.series], [1]);
  });
});

describe('decodeFlat label cache', () => {
  test('a bad request leaves nothing unvalidated in the cache; validated label sets are shared by bytes', () => {
    const cache: LabelCache = newLabelCache();
    const first = decodeFlat(encodeWriteRequestProto({ timeseries: [series(A, 1), series(A, 2)] }), cache);
    assert.equal(cache.table.size, 1);
    assert.equal(first.series[0], first.series[1], 'one entry for the same bytes');
    assert.deepEqual(first.series[0]?.proto, A);
    assert.equal(first.series[0]?.validated, true);
    assert.throws(() => decodeFlat(encodeWriteRequestProto({ timeseries: [series(A, 3), series(NO_NAME, 1)] }), cache), BadRequestError);
    assert.equal(cache.table.size, 1, 'the bad request added nothing');
    assert.equal(cache.added.length, 0);
    const again = decodeFlat(encodeWriteRequestProto({ timeseries: [series(A, 4)] }), cache);
    assert.equal(again.series[0], first.series[0], 'found by its bytes in a later request');
  });
});

describe('SeriesTable', () => {
  const batch = (p: Partial<Omit<DecodedBatch, 'series'>> & { series: number[] }): DecodedBatch => ({
    newIds: [],
    newSizes: [],
    newLabels: [],
    newStrings: [],
    reset: false,
    ...p,
    series: Int32Array.from(p.series),
    sampleEnd: Int32Array.from(p.series.map((_, i) => i + 1)),
    ts: Float64Array.from(p.series.map(() => T0)),
    values: Float64Array.from(p.series.map((_, i) => i)),
  });

  test('apply builds label objects (empty values dropped), one per label set, in request order', () => {
    const t = new SeriesTable();
    const first = t.apply(
      batch({
        series: [1, 0, 1],
        newIds: [0, 1],
        newSizes: [3, 1],
        // 0 __name__, 1 m, 2 empty, 3 '', 4 job, 5 x, 6 n
        newStrings: ['__name__', 'm', 'empty', '', 'job', 'x', 'n'],
        newLabels: [0, 1, 2, 3, 4, 5, 0, 6],
      }),
    );
    assert.deepEqual(first.labels, [{ __name__: 'n' }, { __name__: 'm', job: 'x' }, { __name__: 'n' }]);
    assert.equal(first.labels[0], first.labels[2], 'one object per label set (its store handle is cached by the object)');
    assert.deepEqual([...first.refs], [undefined, undefined]);
    const again = t.apply(batch({ series: [0] }));
    assert.equal(again.labels[0], first.labels[1]);
    assert.equal(again.refs, first.refs, 'handles are shared by every batch until a reset');
    // Later batches refer to strings sent earlier.
    const later = t.apply(batch({ series: [2], newIds: [2], newSizes: [2], newStrings: ['y'], newLabels: [0, 6, 4, 7] }));
    assert.deepEqual(later.labels, [{ __name__: 'n', job: 'y' }]);
  });

  test('reset forgets every label set and string; numbers are then reused', () => {
    const t = new SeriesTable();
    t.apply(batch({ series: [0, 1], newIds: [0, 1], newSizes: [1, 1], newStrings: ['__name__', 'a', 'b'], newLabels: [0, 1, 0, 2] }));
    const before = t.apply(batch({ series: [0] }));
    before.refs[0] = { handleOf: 'a' };
    const r = t.apply(batch({ series: [0], reset: true, newIds: [0], newSizes: [1], newStrings: ['__name__', 'c'], newLabels: [0, 1] }));
    assert.deepEqual(r.labels, [{ __name__: 'c' }]);
    assert.deepEqual([...r.refs], [undefined], 'a handle cached before the reset is not taken for the new label set 0');
    assert.notEqual(r.refs, before.refs);
    assert.throws(() => t.apply(batch({ series: [1] })), /label set 1 was never sent/);
    assert.throws(() => t.apply(batch({ series: [0], reset: true })), /label set 0 was never sent \(decoder and table out of step\)/);
    assert.throws(
      () => t.apply(batch({ series: [0], reset: true, newIds: [0], newSizes: [1], newLabels: [0, 1] })),
      /a label refers to a string that was never sent/,
    );
  });

  test('an unknown id throws; clear() forgets everything', () => {
    const t = new SeriesTable();
    assert.throws(() => t.apply(batch({ series: [5] })), /^Error: remote-write: label set 5 was never sent/);
    t.apply(batch({ series: [0], newIds: [0], newSizes: [1], newStrings: ['__name__', 'a'], newLabels: [0, 1] }));
    t.clear();
    assert.throws(() => t.apply(batch({ series: [0] })), /label set 0 was never sent/);
    assert.throws(() => t.apply(batch({ series: [0], newIds: [0], newSizes: [1], newLabels: [0, 1] })), /string that was never sent/);
  });
});

describe('decoder and table together', () => {
  test('repeated series orders are recognised byte for byte: a changed set, a rolled-back number reused', () => {
    const d = new RemoteWriteDecoder();
    const table = new SeriesTable();
    const X = pl('__name__', 'b', 'job', 'y'); // B with one byte changed
    const N1 = pl('__name__', 'n', 'job', '1');
    const N2 = pl('__name__', 'n', 'job', '2');
    const decodeAs = (...sets: ProtoLabel[][]): number[] => {
      const b = d.decode(body(...sets.map((ls, i) => series(ls, i))));
      assert.deepEqual(table.apply(b).labels, sets.map((ls) => Object.fromEntries(ls.map((l) => [l.name, l.value]))));
      return [...b.series];
    };
    for (let i = 0; i < 3; i++) assert.deepEqual(decodeAs(A, B, C), [0, 1, 2]);
    assert.deepEqual(decodeAs(A, X, C), [0, 3, 2]);
    assert.deepEqual(decodeAs(A, B, C, A, X), [0, 1, 2, 0, 3]);
    badRequest(() => d.decode(body(series(A, 1), series(N1, 1), series(UNSORTED, 1))), /not sorted/);
    // N1's number went back unused: N1 is new again (and its labels sent), then N2 comes next.
    assert.deepEqual(decodeAs(A, N1, C), [0, 4, 2]);
    assert.deepEqual(decodeAs(A, N2, C), [0, 5, 2]);
    assert.deepEqual(decodeAs(A, N1, C), [0, 4, 2]);
  });

  test('a string is reused from the previous label set only when its bytes are the same ASCII text', () => {
    // 'Ã©' is the characters U+00C3 U+00A9, whose char codes equal the UTF-8 bytes of 'é'.
    const values = ['Ã©', 'é', 'é', 'e', 'Ã©', 'ab', 'ac', 'ab', '', 'ab'];
    const d = new RemoteWriteDecoder();
    const table = new SeriesTable();
    const b = d.decode(body(...values.map((v, i) => series(pl('__name__', 'm', 'i', String(i), 'v', v), i))));
    assert.deepEqual(
      table.apply(b).labels,
      values.map((v, i) => (v === '' ? { __name__: 'm', i: String(i) } : { __name__: 'm', i: String(i), v })),
    );
    assert.equal(new Set(b.newStrings).size, b.newStrings.length, 'every string numbered once');
  });

  test('under churn with a tiny table, with bad requests around the reset points, every sample keeps its labels', () => {
    // Deterministic pseudo-random requests over 20 label sets, table of 4.
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const sets = Array.from({ length: 20 }, (_, i) => pl('__name__', `m${i}`, 'empty', '', 'i', String(i)));
    const d = new RemoteWriteDecoder(4);
    const table = new SeriesTable();
    let resets = 0;
    let bad = 0;
    for (let r = 0; r < 200; r++) {
      if (rand(5) === 0) {
        badRequest(() => d.decode(body(series(sets[rand(20)] as ProtoLabel[], r), series(UNSORTED, r))), /not sorted/);
        bad++;
        continue;
      }
      const picked = Array.from({ length: 1 + rand(4) }, () => rand(20));
      const b = d.decode(body(...picked.map((i) => series(sets[i] as ProtoLabel[], i * 1000 + r))));
      if (b.reset) resets++;
      const want: Labels[] = picked.map((i) => ({ __name__: `m${i}`, i: String(i) }));
      assert.deepEqual(table.apply(b).labels, want, `request ${r}`);
      assert.deepEqual([...b.values], picked.map((i) => i * 1000 + r));
    }
    assert.ok(resets > 10, `the table reset ${resets} times`);
    assert.ok(bad > 10);
  });
});

test('a remote-write body that would decompress past 32 MiB is refused before decoding', () => {
  const ok = snappyEncode(new Uint8Array(32 * 1024 * 1024));
  assert.equal(snappyDecodeBody(ok).length, 32 * 1024 * 1024);
  const bomb = snappyEncode(new Uint8Array(32 * 1024 * 1024 + 1));
  assert.throws(() => snappyDecodeBody(bomb), (e: Error) => e instanceof BadRequestError && /decoded length 33554433 exceeds the limit of 33554432/.test(e.message));
});

describe('label limits', () => {
  const big = 'v'.repeat(10 * 1024 * 1024);
  test('a value, a name or a label count over the limits is refused before it is decoded or numbered', () => {
    const d = new RemoteWriteDecoder();
    badRequest(
      () => d.decode(body({ labels: [{ name: '__name__', value: 'm' }, { name: 'path', value: big }], samples: [{ value: 1, timestamp: 1 }] })),
      /^timeseries 0: the value of label "path" is 10,485,760 bytes long, longer than the limit of 2,048 \(metrics\.max_label_value_length\)$/,
    );
    badRequest(
      () => d.decode(body({ labels: [{ name: '__name__', value: 'm' }, { name: 'n'.repeat(1025), value: 'x' }], samples: [] })),
      /^timeseries 0: label name 2 is 1,025 bytes long, longer than the limit of 1,024 \(metrics\.max_label_name_length\)$/,
    );
    const many = Array.from({ length: 31 }, (_, i) => ({ name: `l${String(i).padStart(2, '0')}`, value: 'x' }));
    badRequest(() => d.decode(body({ labels: [{ name: '__name__', value: 'm' }, ...many], samples: [] })), /^timeseries 0: 32 labels, more than the limit of 30 \(metrics\.max_label_names_per_series\)$/);
    assert.equal(d.size, 0, 'nothing was numbered');
    const ok = d.decode(body({ labels: [{ name: '__name__', value: 'm' }, { name: 'path', value: 'v'.repeat(2048) }], samples: [{ value: 1, timestamp: 1 }] }));
    assert.equal(ok.series.length, 1);
    const off = new RemoteWriteDecoder(undefined, { maxNameLength: 0, maxValueLength: 0, maxLabels: 0 });
    assert.equal(off.decode(body({ labels: [{ name: '__name__', value: 'm' }, { name: 'path', value: big }], samples: [] })).series.length, 1);
  });

  test('decodeFlat (the WriteRequest path) checks the same limits', () => {
    const proto = encodeWriteRequestProto({ timeseries: [{ labels: [{ name: '__name__', value: 'm' }, { name: 'path', value: big }], samples: [] }] });
    assert.throws(() => decodeFlat(proto, newLabelCache()), /timeseries 0: the value of label "path" is 10,485,760 bytes long/);
  });
});

describe('RemoteWriteDecoder sample buffers', () => {
  test('buffers given back are written again by later batches, and each batch reads its own samples', () => {
    const d = new RemoteWriteDecoder();
    const first = d.decode(body(series(A, 1, 2, 3), series(B, 4)));
    assert.deepEqual([...first.values], [1, 2, 3, 4]);
    const buffers = [first.ts.buffer, first.values.buffer] as ArrayBuffer[];
    d.recycle(buffers);
    const second = d.decode(body(series(B, 5, 6), series(C, 7)));
    assert.deepEqual([...second.values], [5, 6, 7]);
    assert.ok(buffers.includes(second.ts.buffer as ArrayBuffer) && buffers.includes(second.values.buffer as ArrayBuffer), 'the given-back buffers are reused');
    assert.notEqual(second.ts.buffer, second.values.buffer);
    // A refused request gives its buffers back too: the next batch still gets them.
    d.recycle([second.ts.buffer, second.values.buffer] as ArrayBuffer[]);
    assert.throws(() => d.decode(body(series(NO_NAME, 1))), BadRequestError);
    const third = d.decode(body(series(A, 8)));
    assert.deepEqual([...third.values], [8]);
    assert.ok(buffers.includes(third.values.buffer as ArrayBuffer));
  });
});

describe('decompression buffer', () => {
  test('snappyDecode writes into a buffer given to it when it is long enough, else into a new one', () => {
    const raw = encodeWriteRequestProto({ timeseries: [series(A, 1, 2, 3), series(B, 4)] });
    const packed = snappyEncode(raw);
    const into = new Uint8Array(raw.length + 100).fill(0xee);
    const out = snappyDecode(packed, undefined, into);
    assert.equal(out.buffer, into.buffer);
    assert.deepEqual(out, raw);
    const small = new Uint8Array(raw.length - 1);
    const fresh = snappyDecode(packed, undefined, small);
    assert.notEqual(fresh.buffer, small.buffer);
    assert.deepEqual(fresh, raw);
  });

  test('a decoder reuses one buffer: a shorter body after a longer one, and after a refused one, decodes as a fresh decoder does', () => {
    const long = body(...Array.from({ length: 50 }, (_, i) => series(pl('__name__', `m${i}`, 'job', 'x'), i, i + 1, i + 2)));
    const short = body(series(C, 7), series(A, 8, 9));
    const reused = decoder();
    reused.decode(long);
    assert.throws(() => reused.decode(body(series(NO_NAME, 1))), BadRequestError);
    const got = reused.decode(short);
    const want = decoder().decode(short);
    assert.deepEqual([...got.values], [...want.values]);
    assert.deepEqual([...got.ts], [...want.ts]);
    assert.deepEqual(got.sets.map(([, s]) => s), want.sets.map(([, s]) => s));
    // A body decoding past the kept size gets a buffer of its own, and the next small one still decodes.
    const n = (SCRATCH_MAX_BYTES >> 4) + 1000;
    const huge = body({ labels: D, samples: Array.from({ length: n }, (_, i) => ({ value: i + 0.5, timestamp: T0 + i })) });
    const h = reused.decode(huge);
    assert.equal(h.values.length, n);
    assert.equal(h.values[n - 1], n - 0.5);
    assert.deepEqual([...reused.decode(body(series(E, 42))).values], [42]);
  });
});

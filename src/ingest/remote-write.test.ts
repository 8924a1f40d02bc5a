import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isStaleNaN, staleNaN } from '../model/sample.js';
import { RecordingAppendable } from '../scrape/testing.js';
import { ProtoWriter } from './protobuf.js';
import {
  BadRequestError,
  decodeWriteRequest,
  decodeWriteRequestProto,
  encodeWriteRequest,
  encodeWriteRequestProto,
  handleRemoteWrite,
  ingestWriteRequest,
  type WriteRequest,
} from './remote-write.js';
import { snappyDecode, snappyEncode, SnappyError } from './snappy.js';

const bytes = (...b: number[]) => new Uint8Array(b);
const text = (s: string) => new TextEncoder().encode(s);

describe('snappy block format', () => {
  test('known vectors', () => {
    assert.deepEqual(snappyDecode(bytes(0x00)), bytes());
    // literal "abcd", then a 1-byte-offset copy of 7 bytes at offset 4 (overlapping).
    assert.equal(new TextDecoder().decode(snappyDecode(bytes(0x0b, 0x0c, 0x61, 0x62, 0x63, 0x64, 0x0d, 0x04))), 'abcdabcdabc');
    // literal "a", 2-byte-offset copy of 9 bytes at offset 1 → ten a's.
    assert.equal(new TextDecoder().decode(snappyDecode(bytes(0x0a, 0x00, 0x61, 0x22, 0x01, 0x00))), 'aaaaaaaaaa');
    // a 4-byte-offset copy.
    assert.equal(new TextDecoder().decode(snappyDecode(bytes(0x04, 0x04, 0x78, 0x79, 0x07, 0x02, 0x00, 0x00, 0x00))), 'xyxy');
    assert.deepEqual(snappyEncode(bytes()), bytes(0x00));
  });

  test('round trips, and compresses repetitive data', () => {
    const inputs = [
      text(''),
      text('a'),
      text('hello hello hello hello hello hello'),
      text('x'.repeat(100_000)),
      Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 251),
      Uint8Array.from({ length: 200_000 }, (_, i) => (i % 1000 < 500 ? 65 + (i % 13) : (i * 31) % 256)),
    ];
    for (const input of inputs) {
      const enc = snappyEncode(input);
      assert.deepEqual(snappyDecode(enc), input);
    }
    assert.ok(snappyEncode(text('x'.repeat(100_000))).length < 6000);
    const big = new Uint8Array(70_000);
    big.fill(7);
    const literal = text('0123456789'.repeat(10)); // literal longer than 60 bytes
    assert.deepEqual(snappyDecode(snappyEncode(literal)), literal);
    assert.deepEqual(snappyDecode(snappyEncode(big)), big);
  });

  test('corrupt input names the byte offset', () => {
    const cases: Array<[Uint8Array, RegExp]> = [
      [bytes(), /truncated length preamble at byte 0/],
      [bytes(0x05, 0x10, 0x61), /literal of 5 bytes runs past the end of the input at byte 1/],
      [bytes(0x08, 0x00, 0x61, 0x0d, 0x09), /copy offset 9 is outside the 1 bytes decoded so far at byte 3/],
      [bytes(0x05, 0x00, 0x61), /decoded 1 bytes but the preamble declared 5 at byte 3/],
      [bytes(0x01, 0x04, 0x61, 0x62), /literal overflows the declared length 1 at byte 1/],
      [bytes(0xff, 0xff, 0xff, 0xff, 0x0f), /exceeds the limit/],
      [bytes(0xff, 0xff, 0xff, 0xff, 0x7f), /invalid length preamble/],
    ];
    for (const [input, re] of cases) {
      assert.throws(() => snappyDecode(input), (e: unknown) => e instanceof SnappyError && re.test(e.message), String(re));
    }
  });
});

const request: WriteRequest = {
  timeseries: [
    {
      labels: [
        { name: '__name__', value: 'http_requests_total' },
        { name: 'job', value: 'api' },
        { name: 'path', value: '/ünïcode' },
      ],
      samples: [
        { value: 1.5, timestamp: 1_700_000_000_000 },
        { value: -Infinity, timestamp: 1_700_000_015_000 },
        { value: 0, timestamp: -5 },
      ],
    },
    { labels: [{ name: '__name__', value: 'up' }], samples: [{ value: staleNaN(), timestamp: 0 }] },
  ],
};

describe('WriteRequest protobuf', () => {
  test('round trip, including negative timestamps, zero values and the stale NaN bits', () => {
    const decoded = decodeWriteRequest(encodeWriteRequest(request));
    assert.deepEqual(decoded.timeseries[0], request.timeseries[0]);
    assert.deepEqual(decoded.timeseries[1]?.labels, request.timeseries[1]?.labels);
    assert.ok(isStaleNaN(decoded.timeseries[1]?.samples[0]?.value as number));
  });

  test('known bytes: one series, one sample', () => {
    const proto = encodeWriteRequestProto({ timeseries: [{ labels: [{ name: '__name__', value: 'a' }], samples: [{ value: 1, timestamp: 1 }] }] });
    const expected = [
      0x0a, 0x1c, // timeseries, 28 bytes
      0x0a, 0x0d, 0x0a, 0x08, ...text('__name__'), 0x12, 0x01, 0x61, // label
      0x12, 0x0b, 0x09, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0x10, 0x01, // sample value=1.0 timestamp=1
    ];
    assert.deepEqual([...proto], expected);
  });

  test('unknown fields and metadata are skipped', () => {
    const ts = encodeWriteRequestProto(request);
    const w = new ProtoWriter().bytes(3, text('metadata blob')).tag(15, 0).uvarint(42);
    const body = new Uint8Array([...w.finish(), ...ts]);
    assert.equal(decodeWriteRequestProto(body).timeseries.length, 2);
  });

  test('bad input: a BadRequestError saying where', () => {
    const good = encodeWriteRequestProto(request);
    const cases: Array<[Uint8Array, RegExp]> = [
      [good.subarray(0, good.length - 3), /protobuf: length \d+ runs past the end of the enclosing message at byte \d+ \(in timeseries 1\)/],
      [bytes(0x0a, 0x05, 0x0a), /length 5 runs past the end .* at byte 1 \(in timeseries 0\)/],
      [bytes(0x0d, 0, 0, 0, 0), /WriteRequest.timeseries has wire type 5, expected 2 at byte 0/],
      [encodeWriteRequestProto({ timeseries: [{ labels: [{ name: 'job', value: 'x' }], samples: [] }] }), /^timeseries 0: missing __name__ label$/],
      [
        encodeWriteRequestProto({
          timeseries: [request.timeseries[1] as never, { labels: [{ name: '__name__', value: 'a' }, { name: 'z', value: '1' }, { name: 'b', value: '2' }], samples: [] }],
        }),
        /^timeseries 1: labels are not sorted by name \("b" after "z"\)$/,
      ],
      [encodeWriteRequestProto({ timeseries: [{ labels: [{ name: '__name__', value: 'a' }, { name: 'x', value: '1' }, { name: 'x', value: '2' }], samples: [] }] }), /duplicate label name "x"/],
    ];
    for (const [proto, re] of cases) {
      assert.throws(() => decodeWriteRequestProto(proto), (e: unknown) => e instanceof BadRequestError && re.test(e.message), String(re));
    }
    assert.throws(() => decodeWriteRequest(bytes(0x05, 0x00)), (e: unknown) => e instanceof BadRequestError && /^snappy: /.test(e.message));
  });
});

describe('ingest and the receiver handler', () => {
  test('ingestWriteRequest counts refused samples and commits the rest', async () => {
    const app = new RecordingAppendable();
    app.reject = (_l, t) => (t < 0 ? Object.assign(new Error('out of bounds'), { reason: 'out_of_bounds' }) : undefined);
    const r = await ingestWriteRequest(app, request);
    assert.equal(r.accepted, 3);
    assert.deepEqual(r.rejected, { out_of_bounds: 1 });
    assert.match(r.firstError ?? '', /^timeseries 0 \{__name__="http_requests_total", .*\} at -5: out of bounds$/);
    assert.equal(app.samples.length, 3);
    assert.deepEqual(app.samples[0]?.labels, { __name__: 'http_requests_total', job: 'api', path: '/ünïcode' });
  });

  test('handleRemoteWrite: 204, 400 (rolled back), 415', async () => {
    const app = new RecordingAppendable();
    const body = encodeWriteRequest(request);
    assert.deepEqual(await handleRemoteWrite(app, body, 'snappy', 'application/x-protobuf'), { status: 204 });
    assert.equal(app.samples.length, 4);
    assert.deepEqual(await handleRemoteWrite(app, body, undefined, undefined), { status: 204 });

    app.reject = (_l, t) => (t === 1_700_000_015_000 ? new Error('out of order sample') : undefined);
    const before = app.samples.length;
    const res = await handleRemoteWrite(app, body, 'snappy', 'application/x-protobuf');
    assert.equal(res.status, 400);
    assert.match((res as { message: string }).message, /out of order sample/);
    assert.equal(app.samples.length, before, 'a refused sample rolls the whole request back');
    assert.equal(app.rollbacks, 1);

    assert.equal((await handleRemoteWrite(app, body, 'gzip', 'application/x-protobuf')).status, 415);
    assert.equal((await handleRemoteWrite(app, body, 'snappy', 'application/x-protobuf;proto=io.prometheus.write.v2.Request')).status, 415);
    const bad = await handleRemoteWrite(app, bytes(1, 2, 3), 'snappy', 'application/x-protobuf');
    assert.equal(bad.status, 400);
    assert.match((bad as { message: string }).message, /^snappy: /);

    const failing = { appender: () => ({ append() {}, rollback() {}, commit: async () => Promise.reject(new Error('disk full')) }) };
    assert.deepEqual(await handleRemoteWrite(failing, body, 'snappy', undefined), { status: 500, message: 'storing the samples failed: disk full' });
  });
});

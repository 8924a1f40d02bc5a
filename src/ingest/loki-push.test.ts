import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { decodeLokiPush, parseLabelSelector } from './loki-push.js';
import { IngestError } from './log-ingest.js';
import { ProtoWriter } from './protobuf.js';
import { snappyEncode } from './snappy.js';

const enc = (s: string) => new TextEncoder().encode(s);

function pushRequest(streams: { labels: string; entries: { s: number; n: number; line: string; md?: [string, string][] }[] }[]): Uint8Array {
  const w = new ProtoWriter();
  for (const st of streams) {
    const sw = new ProtoWriter().string(1, st.labels);
    for (const e of st.entries) {
      const ts = new ProtoWriter().int64(1, e.s).int64(2, e.n).finish();
      const ew = new ProtoWriter().bytes(1, ts).string(2, e.line);
      for (const [k, v] of e.md ?? []) ew.bytes(3, new ProtoWriter().string(1, k).string(2, v).finish());
      sw.bytes(2, ew.finish());
    }
    w.bytes(1, sw.finish());
  }
  return snappyEncode(w.finish());
}

describe('decodeLokiPush JSON', () => {
  const body = {
    streams: [
      { stream: { job: 'api', level: 'info' }, values: [['1700000000123456789', 'hello'], ['1700000000200000000', 'with md', { trace_id: 'abc' }]] },
      { stream: { job: 'db' }, values: [['5', 'tiny']] },
    ],
  };

  test('decodes streams, nanosecond timestamps and structured metadata', () => {
    const out = decodeLokiPush(enc(JSON.stringify(body)), 'application/json; charset=utf-8');
    assert.deepEqual(out, [
      { labels: { job: 'api', level: 'info' }, t: 1700000000123, ns: 456789, line: 'hello' },
      { labels: { job: 'api', level: 'info' }, t: 1700000000200, ns: 0, line: 'with md', fields: { trace_id: 'abc' } },
      { labels: { job: 'db' }, t: 0, ns: 5, line: 'tiny' },
    ]);
  });

  test('accepts gzip Content-Encoding', () => {
    const out = decodeLokiPush(gzipSync(enc(JSON.stringify(body))), 'application/json', 'gzip');
    assert.equal(out.length, 3);
    assert.equal(out[0]!.line, 'hello');
  });

  test('errors name the stream and value', () => {
    const bad = (doc: unknown) => () => decodeLokiPush(enc(JSON.stringify(doc)), 'application/json');
    assert.throws(bad({ streams: [{ stream: { job: 'a' }, values: [['1', 'x'], [12.5, 'y']] }] }), (e: Error) => e instanceof IngestError && /streams\[0\]\.values\[1\]: timestamp must be a string of Unix nanoseconds/.test(e.message));
    assert.throws(bad({ streams: [{ stream: { 'bad-name': 'a' }, values: [] }] }), /streams\[0\]\.stream: invalid label name "bad-name"/);
    assert.throws(bad({ streams: [{ stream: { job: 'a' }, values: [['1', 5]] }] }), /streams\[0\]\.values\[0\]: line must be a string/);
    assert.throws(bad({ streams: [{ stream: { job: 'a' }, values: [['1', 'x'], ['2', 'y'], ['3', 'z', { k: 1 }]] }] }), /streams\[0\]\.values\[2\]\[2\]\.k: expected a string value, got 1/);
    assert.throws(bad({ streams: [{ stream: { job: 'a' }, values: [] }, { stream: { job: 'b' }, values: [['1', 'x'], 'no'] }] }), /streams\[1\]\.values\[1\]: expected \["<unix ns>", "<line>"\]/);
    assert.throws(bad({ nope: 1 }), /expected an object with a "streams" array/);
    assert.throws(() => decodeLokiPush(enc('{"streams": ['), 'application/json'), /loki push: invalid JSON/);
    assert.throws(() => decodeLokiPush(enc('{}'), 'text/plain'), /unsupported Content-Type "text\/plain"/);
    assert.throws(() => decodeLokiPush(enc('{}'), 'application/json', 'gzip'), /loki push: body is not valid gzip/);
  });
});

describe('decodeLokiPush protobuf', () => {
  test('round-trips a snappy PushRequest with selector labels and metadata', () => {
    const body = pushRequest([
      { labels: '{job="varlogs", filename="/var/log/a \\"q\\".log"}', entries: [{ s: 1700000000, n: 123456789, line: 'first', md: [['trace_id', 't1']] }, { s: 1700000001, n: 0, line: 'second' }] },
      { labels: '{app="x"}', entries: [{ s: 1, n: 5, line: 'third' }] },
    ]);
    const out = decodeLokiPush(body, 'application/x-protobuf');
    assert.deepEqual(out, [
      { labels: { job: 'varlogs', filename: '/var/log/a "q".log' }, t: 1700000000123, ns: 456789, line: 'first', fields: { trace_id: 't1' } },
      { labels: { job: 'varlogs', filename: '/var/log/a "q".log' }, t: 1700000001000, ns: 0, line: 'second' },
      { labels: { app: 'x' }, t: 1000, ns: 5, line: 'third' },
    ]);
    // Loki treats a missing Content-Type as protobuf.
    assert.equal(decodeLokiPush(body, undefined).length, 3);
  });

  test('errors: not snappy, truncated message, bad selector', () => {
    assert.throws(() => decodeLokiPush(enc('\xff\xff\xff\xff\xff\xff'), 'application/x-protobuf'), /loki push: protobuf body is not snappy-compressed: snappy:/);
    const trunc = new ProtoWriter().bytes(1, new ProtoWriter().string(1, '{a="b"}').finish()).finish().slice(0, -2);
    assert.throws(() => decodeLokiPush(snappyEncode(trunc), 'application/x-protobuf'), (e: Error) => e instanceof IngestError && /streams\[0\]: protobuf: length \d+ runs past the end .* at byte 1/.test(e.message));
    const badSel = pushRequest([{ labels: '{job=x}', entries: [{ s: 1, n: 0, line: 'l' }] }]);
    assert.throws(() => decodeLokiPush(badSel, 'application/x-protobuf'), /streams\[0\]\.labels: expected a quoted value for job at column 6/);
  });

  test('errors inside an entry name the entry; labels after the entries apply to all of them', () => {
    const entry = (line: string, ts = new ProtoWriter().int64(1, 1).int64(2, 0).finish()) => new ProtoWriter().bytes(1, ts).string(2, line).finish();
    const stream = (parts: (w: ProtoWriter) => ProtoWriter) => snappyEncode(new ProtoWriter().bytes(1, parts(new ProtoWriter()).finish()).finish());
    const later = stream((w) => w.bytes(2, entry('a')).bytes(2, entry('b')).string(1, '{job="late"}'));
    assert.deepEqual(
      decodeLokiPush(later, 'application/x-protobuf').map((e) => [e.labels, e.line]),
      [
        [{ job: 'late' }, 'a'],
        [{ job: 'late' }, 'b'],
      ],
    );
    const badTs = stream((w) => w.string(1, '{a="b"}').bytes(2, entry('ok')).bytes(2, entry('bad', new ProtoWriter().int64(1, 1).int64(2, 2_000_000_000).finish())));
    assert.throws(() => decodeLokiPush(badTs, 'application/x-protobuf'), /^IngestError: loki push: streams\[0\]\.entries\[1\]: invalid timestamp 1s 2000000000ns$/);
    const cut = entry('x').slice(0, -1); // the line's length runs past the entry
    const badLine = stream((w) => w.string(1, '{a="b"}').bytes(2, entry('ok')).bytes(2, entry('ok')).bytes(2, cut));
    assert.throws(() => decodeLokiPush(badLine, 'application/x-protobuf'), /^IngestError: loki push: streams\[0\]\.entries\[2\]: protobuf: length 1 runs past the end of the enclosing message at byte \d+$/);
    const wrongWire = stream((w) => w.string(1, '{a="b"}').int64(2, 5));
    assert.throws(() => decodeLokiPush(wrongWire, 'application/x-protobuf'), /^IngestError: loki push: streams\[0\]: protobuf: entry has wire type 0, expected 2 at byte \d+$/);
  });
});

describe('parseLabelSelector', () => {
  test('parses spaces, escapes and empty sets', () => {
    assert.deepEqual(parseLabelSelector(' { a = "1" , b="x\\ny\\u00e9" } '), { a: '1', b: 'x\nyé' });
    assert.deepEqual(parseLabelSelector('{}'), {});
    assert.throws(() => parseLabelSelector('{a="1"'), /expected "," or "}" at column 7/);
    assert.throws(() => parseLabelSelector('{a="1"} x'), /unexpected text after "}"/);
  });
});

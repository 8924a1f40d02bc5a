import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { decodeNdjson } from './ndjson.js';
import { IngestError } from './log-ingest.js';

const enc = (s: string) => new TextEncoder().encode(s);

describe('decodeNdjson', () => {
  test('reads lines, aliases, times and extra fields; skips blank lines', () => {
    const body = [
      '{"timestamp":"2026-01-01T00:00:01.5Z","labels":{"service":"api"},"line":"GET /x 200","status":200}',
      '',
      '   ',
      '{"ts":1767225600,"stream":{"app":"w"},"message":"tick","meta":{"a":1}}',
      '{"time":"1767225600123456789","msg":"precise"}',
      '{"msg":"no time","user":null}',
    ].join('\n');
    const out = decodeNdjson(enc(body), undefined, 99);
    assert.deepEqual(out, [
      { labels: { service: 'api' }, t: Date.UTC(2026, 0, 1, 0, 0, 1, 500), ns: 0, line: 'GET /x 200', fields: { status: '200' } },
      { labels: { app: 'w' }, t: 1767225600000, ns: 0, line: 'tick', fields: { meta: '{"a":1}' } },
      { labels: { job: 'ndjson' }, t: 1767225600123, ns: 456789, line: 'precise' },
      { labels: { job: 'ndjson' }, t: 99, ns: 0, line: 'no time' },
    ]);
    assert.equal(decodeNdjson(gzipSync(enc(body)), 'gzip').length, 4);
  });

  test('a bad line is named by its number', () => {
    const bad = (s: string) => () => decodeNdjson(enc(s));
    assert.throws(bad('{"line":"a"}\n\n{"line": oops}'), (e: Error) => e instanceof IngestError && /^ndjson logs: line 3: invalid JSON/.test(e.message));
    assert.throws(bad('{"line":"a"}\n[1,2]'), /line 2: expected a JSON object/);
    assert.throws(bad('{"level":"info"}'), /line 1: missing "line" \(or "message"\/"msg"\)/);
    assert.throws(bad('{"line":5}'), /line 1: "line" must be a string/);
    assert.throws(bad('{"line":"x","labels":{"a-b":"1"}}'), /line 1: invalid label name "a-b"/);
    // A label set is checked in full unless it is exactly the one of the line before.
    assert.throws(bad('{"line":"x","labels":{"a":"1"}}\n{"line":"x","labels":{"a":"1","b-c":"2"}}'), /line 2: invalid label name "b-c"/);
    assert.throws(bad('{"line":"x","labels":{"a":"1"}}\n{"line":"x","labels":{"a":1}}'), /line 2: label a must be a string/);
    assert.throws(bad('{"line":"x","labels":{"a":"1","b":"2"}}\n{"line":"x","labels":{"a":"1"}}\n{"line":"x","labels":{"a":"1","b":{}}}'), /line 3: label b must be a string/);
    assert.throws(bad('{"line":"x","time":"soon"}'), /line 1: cannot read "time" "soon" as a time/);
    assert.throws(bad(`{"line":"x"}\n{"line":"x","deep":${'['.repeat(20_000)}${']'.repeat(20_000)}}`), /^IngestError: ndjson logs: line 2: "deep" nests deeper than 100 levels$/);
  });

  test('lines of one label set share one labels object, so the store sees one stream, not one per line', () => {
    const body = ['{"labels":{"service":"a","env":"p"},"line":"1"}', '{"labels":{"env":"p","service":"a"},"line":"2"}', '{"labels":{"service":"b"},"line":"3"}', '{"labels":{"service":"a","env":"p"},"line":"4"}', '{"line":"5"}', '{"labels":{},"line":"6"}', '{"labels":{"__proto__":"x"},"line":"7"}'].join('\n');
    const out = decodeNdjson(enc(body), undefined, 0);
    assert.equal(out[0]!.labels, out[1]!.labels);
    assert.equal(out[0]!.labels, out[3]!.labels);
    assert.notEqual(out[0]!.labels, out[2]!.labels);
    assert.deepEqual(out[2]!.labels, { service: 'b' });
    assert.equal(out[4]!.labels, out[5]!.labels);
    assert.deepEqual(out[5]!.labels, { job: 'ndjson' });
    assert.deepEqual(Object.keys(out[6]!.labels), ['__proto__'], 'a label named __proto__ stays a label');
    assert.equal(out[6]!.labels.__proto__, 'x');
  });
});

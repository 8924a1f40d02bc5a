import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { QueryResult } from '../promql/index.js';
import { queryAnswerChunks } from './query-json.js';
import { serializeResult } from './prometheus.js';

/** What the API sent before answers were written as text: the object copy through JSON.stringify. */
function viaObjects(r: QueryResult): string {
  return JSON.stringify({ status: 'success', data: serializeResult(r), ...(r.warnings.length ? { warnings: r.warnings } : {}), ...(r.infos.length ? { infos: r.infos } : {}) });
}

const none = { warnings: [], infos: [] };

test('every result type is written as the same JSON text as the object copy gave', () => {
  const results: QueryResult[] = [
    { resultType: 'scalar', result: { t: 1_700_000_000_123, v: -0.5 }, ...none },
    { resultType: 'scalar', result: { t: 0, v: NaN }, ...none },
    { resultType: 'string', result: { t: 1_000, v: 'a "quoted"\nline \u2028 é' }, ...none },
    { resultType: 'vector', result: [], ...none },
    {
      resultType: 'vector',
      result: [
        { labels: { __name__: 'up', job: 'a"b\\c', 'odd\u0001': 'ü' }, t: 1_700_000_000_000, v: Infinity },
        { labels: {}, t: 1_700_000_000_001, v: 1e-300 },
      ],
      warnings: ['PromQL warning: x (1:1)'],
      infos: ['PromQL info: y (1:2)'],
    },
    { resultType: 'matrix', result: [{ labels: { a: '1' }, points: [] }], ...none },
    {
      resultType: 'matrix',
      result: [
        { labels: { a: '1' }, points: [{ t: 1_500, v: -Infinity }, { t: 2_500, v: 123456789.123 }] },
        { labels: { b: '2', a: '0' }, points: [{ t: 3_000, v: 0 }] },
      ],
      warnings: [],
      infos: ['PromQL info: z (1:3)'],
    },
  ];
  for (const r of results) {
    const chunks = queryAnswerChunks(r);
    assert.equal(chunks.length, 1);
    assert.equal(chunks[0], viaObjects(r));
    JSON.parse(chunks[0] as string);
  }
});

test('a large answer comes in chunks of about 64 KiB that join to the same text', () => {
  const result = Array.from({ length: 3_000 }, (_, i) => ({
    labels: { __name__: 'm', instance: `host-${i}` },
    points: Array.from({ length: i === 7 ? 5_000 : 3 }, (_, j) => ({ t: 1_000 * j, v: i + j / 3 })),
  }));
  const r: QueryResult = { resultType: 'matrix', result, ...none };
  const chunks = queryAnswerChunks(r);
  assert.ok(chunks.length > 3, `${chunks.length} chunks`);
  for (const c of chunks.slice(0, -1)) assert.ok(c.length >= 64 * 1024 && c.length < 66 * 1024, `chunk of ${c.length}`);
  assert.equal(chunks.join(''), viaObjects(r));
});

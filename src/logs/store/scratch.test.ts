import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Scratch } from './scratch.js';

test('Scratch writes head, JSON rows and tail after the prefix, and never hands one buffer to overlapping calls', async () => {
  const s = new Scratch();
  const seen: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const first = s.withJsonRows('{"rows":[', [[1, 'héllo'], { a: null }], ']}', 2, async (b) => {
    assert.equal(b.length, 2 + Buffer.byteLength('{"rows":[[1,"héllo"],{"a":null}]}'));
    await gate;
    seen.push(b.subarray(2).toString('utf8'));
  });
  // Overlapping call while the first still holds the buffer: must not clobber it.
  await s.withJsonRows('[', ['other'], ']', 0, async (b) => {
    seen.push(b.toString('utf8'));
  });
  release();
  await first;
  assert.deepEqual(seen, ['["other"]', '{"rows":[[1,"héllo"],{"a":null}]}']);
  // Reuse after release, growing as needed, exactly JSON.stringify's text and UTF-8 bytes,
  // 3-byte characters and surrogate pairs included; no rows at all.
  const rows = Array.from({ length: 5000 }, (_, i) => [i, `line ${i} €😀 "quoted" \\ x`.repeat(1 + (i % 7)), i % 3 ? { k: 'v' } : undefined]);
  assert.deepEqual(await s.withJsonRows('[', rows, ']', 8, async (b) => Buffer.from(b.subarray(8))), Buffer.from(JSON.stringify(rows), 'utf8'));
  assert.equal(await s.withJsonRows('[', [], ']', 0, async (b) => b.toString()), '[]');
});

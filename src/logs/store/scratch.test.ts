import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Scratch } from './scratch.js';

test('Scratch encodes after the prefix and never hands one buffer to overlapping calls', async () => {
  const s = new Scratch();
  const seen: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const first = s.withUtf8('héllo', 2, async (b) => {
    assert.equal(b.length, 2 + 6);
    await gate;
    seen.push(b.subarray(2).toString('utf8'));
  });
  // Overlapping call while the first still holds the buffer: must not clobber it.
  await s.withUtf8('other text', 0, async (b) => {
    seen.push(b.toString('utf8'));
  });
  release();
  await first;
  assert.deepEqual(seen, ['other text', 'héllo']);
  // Reuse after release, growing as needed.
  const long = 'x'.repeat(200_000);
  assert.equal(await s.withUtf8(long, 8, async (b) => b.subarray(8).toString()), long);
  assert.equal(await s.withUtf8('short', 0, async (b) => b.toString()), 'short');
  // Exactly the UTF-8 bytes, for 3-byte characters and surrogate pairs too.
  const wide = '€😀x'.repeat(1000);
  assert.deepEqual(await s.withUtf8(wide, 4, async (b) => b.subarray(4)), Buffer.from(wide, 'utf8'));
});

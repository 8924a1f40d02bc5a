import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { packChunk, SEALED_SLAB_BYTES } from './chunk-arena.js';
import { ChunkIterator, XorAppender } from './chunk.js';
import { rng } from '../../test/helpers/rng.js';
import { randomSamples } from './testdata/random-samples.js';

describe('sealed chunk arena', () => {
  test('sealed chunks share slabs instead of owning an ArrayBuffer each, and keep their own bytes', () => {
    const r = rng(11);
    const want: Array<Array<[number, number, number]>> = [];
    const sealed: Uint8Array[] = [];
    // Enough chunks to fill several slabs, so some straddle a slab change.
    while (sealed.length < 4 || (sealed[0] as Uint8Array).buffer === (sealed[sealed.length - 1] as Uint8Array).buffer || sealed.length < 3 * (SEALED_SLAB_BYTES / 200)) {
      const samples = randomSamples(r, 1 + Math.floor(r() * 120));
      const app = new XorAppender();
      for (const s of samples) app.append(...s);
      const bytes = app.seal();
      // The open chunk writes on after sealing (as a re-used region would): the sealed copy must not change.
      app.append((samples[samples.length - 1] as [number, number, number])[0] + 1, 1, 2);
      want.push(samples);
      sealed.push(bytes);
    }
    const buffers = new Set(sealed.map((b) => b.buffer));
    assert.ok(buffers.size >= 2, 'more than one slab was used');
    assert.ok(buffers.size < sealed.length / 100, `${sealed.length} chunks in ${buffers.size} buffers`);
    for (const [i, bytes] of sealed.entries()) {
      const it = new ChunkIterator(bytes);
      const got: Array<[number, number, number]> = [];
      while (it.next()) got.push([it.t, it.hi, it.lo]);
      assert.deepEqual(got, want[i], `chunk ${i}`);
      assert.ok(bytes.byteLength <= SEALED_SLAB_BYTES);
    }
  });

  test('a copy, not a view of its input; a large chunk gets a buffer of its own', () => {
    const src = Uint8Array.from({ length: 100 }, (_, i) => i);
    const a = packChunk(src);
    src.fill(0);
    assert.deepEqual([...a], Array.from({ length: 100 }, (_, i) => i));
    const big = packChunk(new Uint8Array(SEALED_SLAB_BYTES / 8).fill(7));
    assert.equal(big.byteOffset, 0);
    assert.equal(big.buffer.byteLength, SEALED_SLAB_BYTES / 8);
    assert.ok(big.every((x) => x === 7));
  });
});

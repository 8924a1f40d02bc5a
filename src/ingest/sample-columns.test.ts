import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BufferPool, Float64Column } from './sample-columns.js';

describe('Float64Column and BufferPool', () => {
  test('a column grows past its buffer and keeps every value; a given-back buffer is written again', () => {
    const pool = new BufferPool();
    const c = new Float64Column(pool);
    for (let i = 0; i < 10_000; i++) c.push(i * 1.5);
    const out = c.done();
    assert.equal(out.length, 10_000);
    assert.ok(out.every((x, i) => x === i * 1.5));
    // The buffers outgrown on the way were kept: the largest comes back first.
    assert.ok(pool.size >= 1);
    pool.give(out.buffer as ArrayBuffer);
    const c2 = new Float64Column(pool);
    c2.push(7);
    const out2 = c2.done();
    assert.equal(out2.buffer, out.buffer, 'the largest spare buffer is reused');
    assert.deepEqual([...out2], [7]);
  });

  test('the pool keeps at most its byte budget, dropping the smallest, and ignores detached or tiny buffers', () => {
    const pool = new BufferPool(1024 * 1024);
    const sizes = [64, 256, 512, 512].map((k) => new ArrayBuffer(k * 1024));
    for (const b of sizes) pool.give(b);
    assert.equal(pool.size, 2, '512 + 512 KiB fill the 1 MiB budget; the smaller were dropped');
    assert.equal(pool.take().byteLength, 512 * 1024);
    const detached = new ArrayBuffer(64 * 1024);
    structuredClone(detached, { transfer: [detached] });
    pool.give(detached);
    pool.give(new ArrayBuffer(8));
    pool.give(new ArrayBuffer(2 * 1024 * 1024));
    assert.equal(pool.size, 1);
    pool.take();
    assert.equal(pool.take().byteLength, 4096 * 8, 'a new buffer when none is spare');
  });
});

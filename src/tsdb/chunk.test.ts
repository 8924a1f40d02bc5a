import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { staleNaN, STALE_NAN_BITS } from '../model/sample.js';
import { bitsToFloat, floatBits } from './bytes.js';
import { ChunkIterator, chunkCount, XorAppender } from './chunk.js';
import { rng } from '../../test/helpers/rng.js';
import { randomSamples } from './testdata/random-samples.js';


function roundTrip(samples: Array<[number, number, number]>): Array<[number, number, number]> {
  const app = new XorAppender();
  for (const [t, hi, lo] of samples) app.append(t, hi, lo);
  const bytes = app.seal();
  assert.equal(chunkCount(bytes), samples.length);
  const it = new ChunkIterator(bytes);
  const out: Array<[number, number, number]> = [];
  while (it.next()) out.push([it.t, it.hi, it.lo]);
  return out;
}

function withBits(t: number, v: number): [number, number, number] {
  const b = new Uint32Array(2);
  floatBits(v, b);
  return [t, b[0] as number, b[1] as number];
}

describe('xor chunk', () => {
  test('many open chunks written in turn keep their own bytes across shared slabs', () => {
    // 3,000 chunks appended round-robin: their regions interleave in the slabs, each grows
    // (moving to a new region) several times, and the slabs roll over; every chunk must
    // still decode to exactly its own samples, read live and after sealing.
    const r = rng(7);
    const n = 3000;
    const apps = Array.from({ length: n }, () => new XorAppender());
    const want: Array<Array<[number, number, number]>> = apps.map(() => []);
    const all = Array.from({ length: n }, () => randomSamples(r, 120));
    for (let k = 0; k < 120; k++) {
      for (let i = 0; i < n; i++) {
        const sample = (all[i] as Array<[number, number, number]>)[k] as [number, number, number];
        (apps[i] as XorAppender).append(...sample);
        (want[i] as Array<[number, number, number]>).push(sample);
      }
    }
    for (let i = 0; i < n; i += 37) {
      const read = (bytes: Uint8Array): Array<[number, number, number]> => {
        const it = new ChunkIterator(bytes);
        const out: Array<[number, number, number]> = [];
        while (it.next()) out.push([it.t, it.hi, it.lo]);
        return out;
      };
      const app = apps[i] as XorAppender;
      assert.deepEqual(read(app.bytes()), want[i], `chunk ${i} live`);
      assert.deepEqual(read(app.seal()), want[i], `chunk ${i} sealed`);
    }
  });

  test('round-trips random bit patterns with irregular timestamps exactly', () => {
    const r = rng(42);
    for (let round = 0; round < 50; round++) {
      const samples = randomSamples(r, 120);
      assert.deepEqual(roundTrip(samples), samples);
    }
  });

  test('preserves NaN payloads, the stale marker, ±Inf and -0', () => {
    // Values go through functions, not a JS array: V8 sets the quiet bit of a signalling NaN
    // (the stale marker is one) when it stores it in a plain double array.
    const special = [() => NaN, staleNaN, () => Infinity, () => -Infinity, () => -0, () => 0, () => Number.MAX_VALUE, () => Number.MIN_VALUE, () => 1, () => 1, () => 2.5];
    const samples = special.map((v, i) => withBits(1_700_000_000_000 + i * 15_000, v()));
    samples.push([1_700_000_999_000, 0x7ff80000, 0x12345]); // NaN with a payload
    const out = roundTrip(samples);
    assert.deepEqual(out, samples);
    const stale = out[1] as [number, number, number];
    assert.equal(BigInt(stale[1]) * 2n ** 32n + BigInt(stale[2]), STALE_NAN_BITS);
    assert.ok(Object.is(bitsToFloat((out[4] as number[])[1] as number, (out[4] as number[])[2] as number), -0));
  });

  test('a regular 15s counter compresses to about 1-2 bytes per sample', () => {
    const app = new XorAppender();
    let v = 0;
    const b = new Uint32Array(2);
    for (let i = 0; i < 120; i++) {
      v += 3;
      floatBits(v, b);
      app.append(1_700_000_000_000 + i * 15_000, b[0] as number, b[1] as number);
    }
    const size = app.seal().length;
    assert.ok(size < 2.5 * 120, `chunk of 120 samples is ${size} bytes`);
  });

  test('the open chunk can be read while it is being appended to', () => {
    const app = new XorAppender();
    for (let i = 0; i < 10; i++) {
      app.append(i * 1000, 0, i);
      const it = new ChunkIterator(app.bytes());
      let n = 0;
      while (it.next()) n++;
      assert.equal(n, i + 1);
    }
  });

  test('a truncated chunk fails loudly instead of inventing samples', () => {
    const app = new XorAppender();
    for (let i = 0; i < 50; i++) app.append(i * 1000, 0x40000000 + i, i * 7919);
    const bytes = app.seal().subarray(0, 20);
    const it = new ChunkIterator(bytes);
    assert.throws(() => {
      while (it.next());
    }, /unexpected end/);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { STALE_NAN_BITS, staleNaN } from '../model/sample.js';
import { rng } from '../../test/helpers/rng.js';
import { floatBits, HI, LO } from './bytes.js';
import { ChunkIterator, XorAppender } from './chunk.js';
import { decodeRange, type ChunkCursor, type DecodeResult } from './chunk-decode.js';
import { randomSamples, type Sample } from './testdata/random-samples.js';


/** The reference: ChunkIterator over the whole chunk, filtered to [mint, maxt]. */
function reference(bytes: Uint8Array, mint: number, maxt: number): Sample[] {
  const it = new ChunkIterator(bytes);
  const out: Sample[] = [];
  while (it.next()) if (it.t >= mint && it.t <= maxt) out.push([it.t, it.hi, it.lo]);
  return out;
}

function fast(bytes: Uint8Array, owner: { minT: number }, mint: number, maxt: number, from?: ChunkCursor): { samples: Sample[]; resume: ChunkCursor | undefined } {
  const cap = 200;
  const ts = new Float64Array(cap + 3);
  const words = new Uint32Array(2 * (cap + 3));
  ts[0] = -1; // decoding starts at index 3: nothing before `at` may be touched
  const st: DecodeResult = { at: 0, resume: undefined };
  decodeRange(bytes, owner, mint, maxt, ts, words, 3, from, true, st);
  assert.equal(ts[0], -1);
  const samples: Sample[] = [];
  for (let i = 3; i < st.at; i++) samples.push([ts[i] as number, words[2 * i + HI] as number, words[2 * i + LO] as number]);
  return { samples, resume: st.resume };
}


function chunkOf(samples: readonly Sample[]): { app: XorAppender; bytes: Uint8Array } {
  const app = new XorAppender();
  for (const [t, hi, lo] of samples) app.append(t, hi, lo);
  return { app, bytes: app.seal() };
}

describe('decodeRange', () => {
  test('equals the reference iterator for random chunks and random windows', () => {
    const r = rng(7);
    for (let round = 0; round < 200; round++) {
      const samples = randomSamples(r, 1 + Math.floor(r() * 120));
      const { bytes } = chunkOf(samples);
      const pick = (): number => (samples[Math.floor(r() * samples.length)] as Sample)[0] + Math.floor(r() * 3) - 1;
      let mint = pick();
      let maxt = pick();
      if (mint > maxt) [mint, maxt] = [maxt, mint];
      if (round % 10 === 0) [mint, maxt] = [-Infinity, Infinity];
      assert.deepEqual(fast(bytes, { minT: 0 }, mint, maxt).samples, reference(bytes, mint, maxt), `round ${round} [${mint}, ${maxt}]`);
    }
  });

  test('keeps the stale marker, NaN payloads, ±Inf and -0 bit for bit', () => {
    const b = new Uint32Array(2);
    // Values go through functions: V8 quiets a signalling NaN (the stale marker) stored in a plain array.
    const values = [staleNaN, () => NaN, () => Infinity, () => -Infinity, () => -0, () => 1.5, staleNaN];
    const samples: Sample[] = values.map((v, i) => {
      floatBits(v(), b);
      return [1_700_000_000_000 + i * 15_000, b[0] as number, b[1] as number];
    });
    const { bytes } = chunkOf(samples);
    const got = fast(bytes, { minT: 0 }, 0, Infinity).samples;
    assert.deepEqual(got, samples);
    const last = got[6] as Sample;
    assert.equal(BigInt(last[1]) * 2n ** 32n + BigInt(last[2]), STALE_NAN_BITS);
  });

  test('a cursor on the open chunk stays valid while samples are appended', () => {
    const r = rng(11);
    for (let round = 0; round < 50; round++) {
      const samples = randomSamples(r, 120);
      const app = new XorAppender();
      const owner = { minT: 0 };
      let cursor: ChunkCursor | undefined;
      let n = 0;
      while (n < samples.length) {
        const add = 1 + Math.floor(r() * 15);
        for (let i = 0; i < add && n < samples.length; i++, n++) {
          const [t, hi, lo] = samples[n] as Sample;
          app.append(t, hi, lo);
        }
        // Query the newest few samples, as an instant query at "now" does.
        const back = Math.min(n - 1, Math.floor(r() * 10));
        const mint = (samples[n - 1 - back] as Sample)[0];
        const got = fast(app.bytes(), owner, mint, Infinity, cursor);
        assert.deepEqual(got.samples, reference(app.bytes(), mint, Infinity), `round ${round} after ${n} samples`);
        if (got.resume) {
          assert.ok(got.resume.t < mint && got.resume.owner === owner);
          if (cursor && cursor.t < mint) assert.ok(got.resume.n >= cursor.n, 'the cursor never moves back');
          cursor = got.resume;
        }
      }
    }
  });

  test('a cursor after the last sample resumes at the samples appended next (chunk boundary)', () => {
    const samples = randomSamples(rng(3), 40);
    const app = new XorAppender();
    for (const [t, hi, lo] of samples.slice(0, 20)) app.append(t, hi, lo);
    const owner = { minT: 0 };
    const past = (samples[19] as Sample)[0] + 1;
    const first = fast(app.bytes(), owner, past, Infinity);
    assert.deepEqual(first.samples, []);
    assert.equal(first.resume?.n, 20);
    for (const [t, hi, lo] of samples.slice(20)) app.append(t, hi, lo);
    const again = fast(app.bytes(), owner, past, Infinity, first.resume);
    assert.deepEqual(again.samples, samples.slice(20));
  });

  test('a cursor of another chunk, or at or after mint, is ignored rather than misread', () => {
    const samples = randomSamples(rng(5), 60);
    const { bytes } = chunkOf(samples);
    const owner = { minT: 0 };
    const mid = (samples[30] as Sample)[0];
    const c = fast(bytes, owner, mid, Infinity).resume as ChunkCursor;
    assert.equal(c.n, 30);
    const early = (samples[10] as Sample)[0];
    assert.deepEqual(fast(bytes, owner, early, Infinity, c).samples, reference(bytes, early, Infinity));
    assert.deepEqual(fast(bytes, { minT: 0 }, mid, Infinity, c).samples, reference(bytes, mid, Infinity));
  });

  test('a truncated chunk fails loudly instead of inventing samples', () => {
    const app = new XorAppender();
    for (let i = 0; i < 50; i++) app.append(i * 1000, 0x40000000 + i, i * 7919);
    const bytes = app.seal().subarray(0, 20);
    assert.throws(() => fast(bytes, { minT: 0 }, 0, Infinity), /unexpected end/);
    assert.throws(() => fast(new Uint8Array(1), { minT: 0 }, 0, Infinity), /too short/);
  });
});

import { HI, LO } from './bytes.js';
import { chunkCount } from './chunk.js';
import { decodeRange, type DecodeResult } from './chunk-decode.js';

const NO_OWNER = { minT: 0 };
const scratch: DecodeResult = { at: 0, resume: undefined };

/**
 * Growable (timestamp, value) columns. Values are written as raw 32-bit words into a
 * Float64Array's buffer so NaN payloads (the stale marker) reach the reader bit for bit.
 */
export class SampleBuffer {
  ts: Float64Array;
  vals: Float64Array;
  private words: Uint32Array;
  length = 0;

  constructor(capacity = 16) {
    this.ts = new Float64Array(capacity);
    this.vals = new Float64Array(capacity);
    this.words = new Uint32Array(this.vals.buffer);
  }

  reserve(extra: number): void {
    const need = this.length + extra;
    if (need <= this.ts.length) return;
    let cap = Math.max(16, this.ts.length * 2);
    while (cap < need) cap *= 2;
    const ts = new Float64Array(cap);
    ts.set(this.ts.subarray(0, this.length));
    const vals = new Float64Array(cap);
    new Uint32Array(vals.buffer).set(this.words.subarray(0, this.length * 2));
    this.ts = ts;
    this.vals = vals;
    this.words = new Uint32Array(vals.buffer);
  }

  push(t: number, hi: number, lo: number): void {
    if (this.length === this.ts.length) this.reserve(1);
    const i = this.length++;
    this.ts[i] = t;
    this.words[2 * i + HI] = hi;
    this.words[2 * i + LO] = lo;
  }

  /** Appends the chunk's samples with mint <= t <= maxt. */
  addChunk(bytes: Uint8Array, mint: number, maxt: number): void {
    this.reserve(chunkCount(bytes));
    decodeRange(bytes, NO_OWNER, mint, maxt, this.ts, this.words, this.length, undefined, false, scratch);
    this.length = scratch.at;
  }

  /** Appends all of another buffer's samples. */
  append(other: SampleBuffer): void {
    this.reserve(other.length);
    this.ts.set(other.ts.subarray(0, other.length), this.length);
    this.words.set(other.words.subarray(0, other.length * 2), this.length * 2);
    this.length += other.length;
  }

  /**
   * Makes timestamps strictly ascending when sources overlapped (e.g. a block and a replayed
   * head): stable sort, and of equal timestamps the first added wins.
   */
  normalize(): void {
    let sorted = true;
    for (let i = 1; i < this.length; i++) {
      if ((this.ts[i] as number) <= (this.ts[i - 1] as number)) {
        sorted = false;
        break;
      }
    }
    if (sorted) return;
    const idx = Array.from({ length: this.length }, (_, i) => i);
    idx.sort((a, b) => (this.ts[a] as number) - (this.ts[b] as number) || a - b);
    const ts = new Float64Array(this.length);
    const vals = new Float64Array(this.length);
    const words = new Uint32Array(vals.buffer);
    let n = 0;
    for (const i of idx) {
      const t = this.ts[i] as number;
      if (n > 0 && ts[n - 1] === t) continue;
      ts[n] = t;
      words[2 * n] = this.words[2 * i] as number;
      words[2 * n + 1] = this.words[2 * i + 1] as number;
      n++;
    }
    this.ts = ts;
    this.vals = vals;
    this.words = words;
    this.length = n;
  }

  timestamps(): Float64Array {
    return this.ts.subarray(0, this.length);
  }

  values(): Float64Array {
    return this.vals.subarray(0, this.length);
  }
}

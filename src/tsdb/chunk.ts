import { BitReader, BitWriter } from './bits.js';
import { packChunk } from './chunk-arena.js';

/**
 * Gorilla-style XOR chunk, the layout Prometheus uses for float samples:
 *   bytes 0-1   sample count (big endian)
 *   sample 0    timestamp as 64 raw bits, value as 64 raw bits
 *   sample n>0  delta-of-delta timestamp in buckets '0' | '10'+14b | '110'+17b | '1110'+20b | '1111'+64b,
 *               value XOR previous: '0' same | '10' + bits in the previous window | '11' + 5b leading
 *               zeros + 6b significant-bit count + significant bits.
 * Values are handled as raw bit patterns (hi/lo 32-bit halves), so every float64 — any NaN payload,
 * the stale marker, ±Inf, -0 — round-trips exactly.
 */
export const CHUNK_MAX_SAMPLES = 120;
const TWO32 = 2 ** 32;

/** `x` as an int32 when it is one (so V8 stores it as a small integer), else unchanged. */
function int32OrNumber(x: number): number {
  return (x | 0) === x ? x | 0 : x;
}

function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/** 2^30: a millisecond timestamp is kept as t / 2^30 and t mod 2^30, two small integers. */
const T_SPLIT = 2 ** 30;

/**
 * Extends its bit writer rather than holding one: one object per open chunk, not two.
 *
 * Every field holds a small integer, never a fraction or a number past 2^31: V8 keeps such a
 * field in the object itself, where a field that has ever held a larger number (a millisecond
 * timestamp) becomes a pointer to a separate heap number, three more objects per open chunk
 * (one per active series) for the collector to copy and mark.
 */
export class XorAppender extends BitWriter {
  count = 0;
  /** The first sample's time: tHi * 2^30 + tLo. */
  private tHi = 0;
  private tLo = 0;
  /** maxT - minT (an int32 while a chunk spans less than 24 days, as chunk ranges do). */
  private span = 0;
  /** The last timestamp delta, an int32 when it fits (the encoding handles any). */
  private delta = 0;
  private vhi = 0;
  private vlo = 0;

  /** The first sample's time (ms). */
  get minT(): number {
    return this.tHi * T_SPLIT + this.tLo;
  }

  /** The newest sample's time (ms). */
  get maxT(): number {
    return this.tHi * T_SPLIT + this.tLo + this.span;
  }

  /** The newest sample's value bits (its time is maxT). */
  get lastHi(): number {
    return this.vhi >>> 0;
  }
  get lastLo(): number {
    return this.vlo >>> 0;
  }
  private leading = 0xff;
  private trailing = 0;

  /** `initial`: bytes to reserve (the chunk grows beyond them when it must). */
  constructor(initial = 48) {
    super(initial);
    this.bits(0, 16);
  }

  /** Appends a sample; t must be greater than the previous one (the caller enforces order). */
  append(t: number, hi: number, lo: number): void {
    const w: BitWriter = this;
    if (this.count === 0) {
      const th = Math.floor(t / TWO32);
      w.u32(th >>> 0);
      w.u32((t - th * TWO32) >>> 0);
      w.u32(hi);
      w.u32(lo);
      const tHi = Math.floor(t / T_SPLIT);
      this.tHi = int32OrNumber(tHi);
      this.tLo = (t - tHi * T_SPLIT) | 0;
      this.span = 0;
    } else {
      const d = t - this.maxT;
      this.writeDod(d - this.delta);
      this.delta = int32OrNumber(d);
      this.writeXor(hi, lo);
      this.span = int32OrNumber(t - this.minT);
    }
    this.vhi = hi | 0; // stored as int32, read back as uint32
    this.vlo = lo | 0;
    this.count++;
    w.setByte(0, this.count >>> 8);
    w.setByte(1, this.count & 0xff);
  }

  private writeDod(dod: number): void {
    const w: BitWriter = this;
    if (dod === 0) w.bit(false);
    else if (dod >= -8191 && dod <= 8192) {
      w.bits(0b10, 2);
      w.bits(dod & 0x3fff, 14);
    } else if (dod >= -65535 && dod <= 65536) {
      w.bits(0b110, 3);
      w.bits(dod & 0x1ffff, 17);
    } else if (dod >= -524287 && dod <= 524288) {
      w.bits(0b1110, 4);
      w.bits(dod & 0xfffff, 20);
    } else {
      w.bits(0b1111, 4);
      const h = Math.floor(dod / TWO32);
      w.bits(h >>> 0, 32);
      w.bits((dod - h * TWO32) >>> 0, 32);
    }
  }

  private writeXor(hi: number, lo: number): void {
    const w: BitWriter = this;
    const xh = (hi ^ this.vhi) >>> 0;
    const xl = (lo ^ this.vlo) >>> 0;
    if (xh === 0 && xl === 0) {
      w.bit(false);
      return;
    }
    w.bit(true);
    let lead = xh !== 0 ? Math.clz32(xh) : 32 + Math.clz32(xl);
    if (lead > 31) lead = 31;
    const trail = xl !== 0 ? ctz32(xl) : 32 + ctz32(xh);
    let shift: number;
    let sig: number;
    if (this.leading !== 0xff && lead >= this.leading && trail >= this.trailing) {
      w.bit(false);
      shift = this.trailing;
      sig = 64 - this.leading - this.trailing;
    } else {
      this.leading = lead;
      this.trailing = trail;
      sig = 64 - lead - trail;
      w.bit(true);
      w.bits(lead, 5);
      w.bits(sig & 63, 6);
      shift = trail;
    }
    let sh: number;
    let sl: number;
    if (shift === 0) {
      sh = xh;
      sl = xl;
    } else if (shift < 32) {
      sl = ((xl >>> shift) | (xh << (32 - shift))) >>> 0;
      sh = xh >>> shift;
    } else {
      sl = xh >>> (shift - 32);
      sh = 0;
    }
    w.bits64(sh, sl, sig);
  }

  /** A compact, independent copy of the chunk bytes (bytes() is a live view), packed into a shared slab. */
  seal(): Uint8Array {
    return packChunk(this.bytes());
  }
}

export function chunkCount(bytes: Uint8Array): number {
  return (((bytes[0] ?? 0) << 8) | (bytes[1] ?? 0)) >>> 0;
}

/** Iterates a chunk's samples: after next() returns true, t/hi/lo hold the sample. */
export class ChunkIterator {
  private readonly r: BitReader;
  private readonly n: number;
  private i = 0;
  t = 0;
  hi = 0;
  lo = 0;
  private delta = 0;
  private leading = 0;
  private trailing = 0;

  constructor(bytes: Uint8Array) {
    if (bytes.length < 2) throw new RangeError(`chunk: ${bytes.length} bytes is too short for a header`);
    this.n = chunkCount(bytes);
    this.r = new BitReader(bytes, 2);
  }

  next(): boolean {
    if (this.i >= this.n) return false;
    const r = this.r;
    if (this.i === 0) {
      const th = r.bits(32) | 0;
      this.t = th * TWO32 + r.bits(32);
      this.hi = r.bits(32);
      this.lo = r.bits(32);
    } else {
      this.delta += this.readDod();
      this.t += this.delta;
      this.readXor();
    }
    this.i++;
    return true;
  }

  private readDod(): number {
    const r = this.r;
    if (!r.bit()) return 0;
    if (!r.bit()) {
      const v = r.bits(14);
      return v > 8192 ? v - 16384 : v;
    }
    if (!r.bit()) {
      const v = r.bits(17);
      return v > 65536 ? v - 131072 : v;
    }
    if (!r.bit()) {
      const v = r.bits(20);
      return v > 524288 ? v - 1048576 : v;
    }
    const h = r.bits(32) | 0;
    return h * TWO32 + r.bits(32);
  }

  private readXor(): void {
    const r = this.r;
    if (!r.bit()) return;
    if (r.bit()) {
      this.leading = r.bits(5);
      let sig = r.bits(6);
      if (sig === 0) sig = 64;
      this.trailing = 64 - this.leading - sig;
    }
    const sig = 64 - this.leading - this.trailing;
    let h: number;
    let l: number;
    if (sig > 32) {
      h = r.bits(sig - 32);
      l = r.bits(32);
    } else {
      h = 0;
      l = r.bits(sig);
    }
    const s = this.trailing;
    if (s > 0 && s < 32) {
      h = ((h << s) | (l >>> (32 - s))) >>> 0;
      l = (l << s) >>> 0;
    } else if (s >= 32) {
      h = (l << (s - 32)) >>> 0;
      l = 0;
    }
    this.hi = (this.hi ^ h) >>> 0;
    this.lo = (this.lo ^ l) >>> 0;
  }
}

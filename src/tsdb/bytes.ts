import { crc32 as zlibCrc32 } from 'node:zlib';

/** CRC-32 (IEEE) of the bytes, as used by every checksum in the WAL, block index and chunks file. */
export function crc32(data: Uint8Array): number {
  return zlibCrc32(data) >>> 0;
}

// One shared scratch float/word view converts between a float64 and its two 32-bit halves
// without going through a JS number array (which may canonicalize NaN payloads).
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** Index of the low / high 32-bit word of a float64 in a Uint32Array view on this platform. */
export const LO = LITTLE ? 0 : 1;
export const HI = LITTLE ? 1 : 0;

/** Writes the bit pattern of `v` into `out` as [hi, lo]. */
export function floatBits(v: number, out: Uint32Array): void {
  f64[0] = v;
  out[0] = u32[HI] as number;
  out[1] = u32[LO] as number;
}

export function bitsToFloat(hi: number, lo: number): number {
  u32[HI] = hi;
  u32[LO] = lo;
  return f64[0] as number;
}

const TWO32 = 2 ** 32;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** A growable little-endian byte buffer with Prometheus-style varints (safe integers up to 2^53). */
export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  length = 0;

  constructor(private readonly initial = 256) {
    this.buf = new Uint8Array(initial);
    this.view = new DataView(this.buf.buffer);
  }

  /** Makes room for `n` more bytes at once (a writer about to take a known amount grows once, not by doubling). */
  reserve(n: number): void {
    this.ensure(n);
  }

  /** Overwrites 4 bytes already written at `at` (a length or checksum known only after what follows). */
  setU32(at: number, v: number): void {
    this.view.setUint32(at, v >>> 0, true);
  }

  /** The bytes written in [start, end) (a view, valid until the next write). */
  range(start: number, end: number): Uint8Array {
    return this.buf.subarray(start, end);
  }

  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.length++] = v;
  }

  u32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.length, v >>> 0, true);
    this.length += 4;
  }

  /** Unsigned varint of a non-negative safe integer (zig-zag doubles it: keep |v| < 2^52 for varint). */
  uvarint(v: number): void {
    this.ensure(10);
    while (v >= 0x80) {
      this.buf[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.length++] = v;
  }

  /** Zig-zag signed varint of a safe integer. */
  varint(v: number): void {
    this.uvarint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  /** A float64's exact bit pattern, given as its two halves. */
  bits64(hi: number, lo: number): void {
    this.u32(lo);
    this.u32(hi);
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  string(s: string): void {
    const n = s.length;
    if (n < 128) {
      // ASCII fast path (label names and most values): no TextEncoder round trip.
      this.ensure(n + 1);
      const buf = this.buf;
      let p = this.length + 1;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[p++] = c;
      }
      if (i === n) {
        buf[this.length] = n;
        this.length = p;
        return;
      }
    }
    const b = encoder.encode(s);
    this.uvarint(b.length);
    this.bytes(b);
  }

  /** The written bytes (a view, valid until the next write). */
  result(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  reset(): void {
    this.length = 0;
  }

  /**
   * reset(), and if one big write grew the buffer past `keep` bytes, lets that memory go: a
   * reused writer must not hold a burst's size for the life of the process.
   */
  release(keep: number): void {
    this.length = 0;
    if (this.buf.length > keep) {
      this.buf = new Uint8Array(this.initial);
      this.view = new DataView(this.buf.buffer);
    }
  }
}

export class DecodeError extends Error {
  override name = 'DecodeError';
}

export class ByteReader {
  private readonly view: DataView;
  pos = 0;

  constructor(
    readonly buf: Uint8Array,
    private readonly where: string,
  ) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new DecodeError(`${this.where}: unexpected end of data at byte ${this.pos}`);
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++] as number;
  }

  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  uvarint(): number {
    let v = 0;
    let mul = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.u8();
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 0x80;
    }
    throw new DecodeError(`${this.where}: varint too long at byte ${this.pos}`);
  }

  varint(): number {
    const z = this.uvarint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  /** Reads a float64 bit pattern into out as [hi, lo]. */
  bits64(out: Uint32Array): void {
    out[1] = this.u32();
    out[0] = this.u32();
  }

  bytes(n: number): Uint8Array {
    this.need(n);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  string(): string {
    const n = this.uvarint();
    try {
      return decoder.decode(this.bytes(n));
    } catch (e) {
      if (e instanceof DecodeError) throw e;
      throw new DecodeError(`${this.where}: invalid UTF-8 string at byte ${this.pos - n}`);
    }
  }
}

export { TWO32 };

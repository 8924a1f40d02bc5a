/**
 * Open chunks' bytes are carved out of shared slabs: a chunk per series is opened at once when
 * a scrape or remote-write brings many new series, and a typed array (with its ArrayBuffer)
 * per chunk cost more than the chunk's first sample. A region left behind by growth is not
 * reused; a slab is freed once no open chunk lives in it (sealed chunks are copied out).
 */
const SLAB_BYTES = 256 * 1024;
let slab = new Uint8Array(SLAB_BYTES);
let slabUsed = 0;

/**
 * Bit-level writer for the Gorilla chunk encoding. Bits are packed most significant first;
 * values are written as up to 32 bits at a time (64-bit values as two halves). The bytes
 * live in buf[off, off + length).
 */
export class BitWriter {
  buf: Uint8Array = slab;
  off = 0;
  private cap = 0;
  /** Bytes in use; the last one has `free` unused low bits. */
  length = 0;
  free = 0;

  constructor(initial = 32) {
    this.place(initial);
  }

  private place(n: number): void {
    if (n > SLAB_BYTES / 16) {
      this.buf = new Uint8Array(n);
      this.off = 0;
    } else {
      if (slabUsed + n > SLAB_BYTES) {
        slab = new Uint8Array(SLAB_BYTES);
        slabUsed = 0;
      }
      this.buf = slab;
      this.off = slabUsed;
      slabUsed += n;
    }
    this.cap = n;
  }

  private grow(): void {
    const old = this.buf;
    const from = this.off;
    this.place(this.cap * 2);
    const buf = this.buf;
    const to = this.off;
    for (let i = 0; i < this.length; i++) buf[to + i] = old[from + i] as number;
  }

  bit(b: boolean): void {
    if (this.free === 0) {
      if (this.length === this.cap) this.grow();
      this.buf[this.off + this.length++] = 0;
      this.free = 8;
    }
    this.free--;
    if (b) {
      const at = this.off + this.length - 1;
      this.buf[at] = (this.buf[at] as number) | (1 << this.free);
    }
  }

  /** Writes the low `n` bits (0..32) of `v`, most significant first. */
  bits(v: number, n: number): void {
    while (n > 0) {
      if (this.free === 0) {
        if (this.length === this.cap) this.grow();
        this.buf[this.off + this.length++] = 0;
        this.free = 8;
      }
      const take = n < this.free ? n : this.free;
      const chunk = (v >>> (n - take)) & ((1 << take) - 1);
      this.free -= take;
      const at = this.off + this.length - 1;
      this.buf[at] = (this.buf[at] as number) | (chunk << this.free);
      n -= take;
    }
  }

  /** Writes 32 bits when the writer is at a byte boundary (free === 0), else falls back to bits(). */
  u32(v: number): void {
    if (this.free !== 0) return this.bits(v, 32);
    while (this.length + 4 > this.cap) this.grow();
    const at = this.off + this.length;
    const buf = this.buf;
    buf[at] = v >>> 24;
    buf[at + 1] = v >>> 16;
    buf[at + 2] = v >>> 8;
    buf[at + 3] = v;
    this.length += 4;
  }

  /** Writes the low `n` bits (0..64) of the 64-bit value hi:lo. */
  bits64(hi: number, lo: number, n: number): void {
    if (n > 32) {
      this.bits(hi, n - 32);
      this.bits(lo, 32);
    } else {
      this.bits(lo, n);
    }
  }

  /** Sets byte `i` of what was written (i < length). */
  setByte(i: number, v: number): void {
    this.buf[this.off + i] = v;
  }

  /** Bytes written so far (a view; the last byte may be partial). */
  bytes(): Uint8Array {
    return this.buf.subarray(this.off, this.off + this.length);
  }
}

export class BitReader {
  private pos = 0;
  private bitPos = 0;

  constructor(
    private readonly buf: Uint8Array,
    start = 0,
  ) {
    this.pos = start;
  }

  private eof(): never {
    throw new RangeError('chunk: unexpected end of bit stream');
  }

  bit(): boolean {
    if (this.pos >= this.buf.length) this.eof();
    const b = ((this.buf[this.pos] as number) >>> (7 - this.bitPos)) & 1;
    if (++this.bitPos === 8) {
      this.bitPos = 0;
      this.pos++;
    }
    return b === 1;
  }

  /** Reads `n` (0..32) bits as an unsigned integer. */
  bits(n: number): number {
    let v = 0;
    while (n > 0) {
      if (this.pos >= this.buf.length) this.eof();
      const avail = 8 - this.bitPos;
      const take = n < avail ? n : avail;
      const chunk = ((this.buf[this.pos] as number) >>> (avail - take)) & ((1 << take) - 1);
      v = v * (1 << take) + chunk;
      this.bitPos += take;
      if (this.bitPos === 8) {
        this.bitPos = 0;
        this.pos++;
      }
      n -= take;
    }
    return v >>> 0;
  }
}

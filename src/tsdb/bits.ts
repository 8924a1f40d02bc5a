/**
 * Bit-level writer and reader for the Gorilla chunk encoding. Bits are packed most
 * significant first; values are written as up to 32 bits at a time (64-bit values as two halves).
 */
export class BitWriter {
  buf: Uint8Array;
  /** Bytes in use; the last one has `free` unused low bits. */
  length = 0;
  free = 0;

  constructor(initial = 32) {
    this.buf = new Uint8Array(initial);
  }

  private grow(): void {
    const next = new Uint8Array(this.buf.length * 2);
    next.set(this.buf);
    this.buf = next;
  }

  bit(b: boolean): void {
    if (this.free === 0) {
      if (this.length === this.buf.length) this.grow();
      this.buf[this.length++] = 0;
      this.free = 8;
    }
    this.free--;
    if (b) this.buf[this.length - 1] = (this.buf[this.length - 1] as number) | (1 << this.free);
  }

  /** Writes the low `n` bits (0..32) of `v`, most significant first. */
  bits(v: number, n: number): void {
    while (n > 0) {
      if (this.free === 0) {
        if (this.length === this.buf.length) this.grow();
        this.buf[this.length++] = 0;
        this.free = 8;
      }
      const take = n < this.free ? n : this.free;
      const chunk = (v >>> (n - take)) & ((1 << take) - 1);
      this.free -= take;
      this.buf[this.length - 1] = (this.buf[this.length - 1] as number) | (chunk << this.free);
      n -= take;
    }
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

  /** Bytes written so far (a view; the last byte may be partial). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.length);
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

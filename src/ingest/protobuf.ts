/**
 * Just enough of the protobuf wire format for prometheus.WriteRequest: varints, fixed64
 * doubles, length-delimited strings and sub-messages; unknown fields are skipped as the
 * spec requires. Errors carry the absolute byte offset in the message.
 */
export class ProtobufError extends Error {
  override name = 'ProtobufError';
  constructor(
    readonly offset: number,
    detail: string,
  ) {
    super(`protobuf: ${detail} at byte ${offset}`);
  }
}

export const WireType = { VARINT: 0, I64: 1, LEN: 2, SGROUP: 3, EGROUP: 4, I32: 5 } as const;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();

export class ProtoReader {
  pos: number;
  private readonly view: DataView;
  private latin1: Buffer | undefined;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    /** Exclusive end of the message being read; callers may narrow and restore it around sub-messages. */
    public end = buf.length,
  ) {
    this.pos = start;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  done(): boolean {
    return this.pos >= this.end;
  }

  /**
   * The common case without allocating: a varint of up to 7 bytes (< 2^49) as a number, or -1
   * (cursor moved past the varint) when it is longer and needs the 64-bit path.
   */
  private uvarintNumber(): number {
    const buf = this.buf;
    const end = this.end;
    const start = this.pos;
    let p = start;
    if (p < end) {
      const b = buf[p] as number;
      if (b < 0x80) {
        this.pos = p + 1;
        return b;
      }
    }
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (p >= end) throw new ProtobufError(start, 'truncated varint');
      const b = buf[p++] as number;
      if (i < 7) result += (b & 0x7f) * mul;
      mul *= 128;
      if (b < 0x80) {
        this.pos = p;
        return i < 7 ? result : -1;
      }
    }
    throw new ProtobufError(start, 'varint longer than 10 bytes');
  }

  /** The 64-bit path; only called on a varint uvarintNumber() has already checked is complete. */
  private uvarintBig(): { lo: number; big: bigint } {
    let big = 0n;
    for (let j = 0; j < 10; j++) {
      const b = this.buf[this.pos++] as number;
      big |= BigInt(b & 0x7f) << BigInt(7 * j);
      if (b < 0x80) break;
    }
    return { lo: Number(big), big: BigInt.asUintN(64, big) };
  }

  uint32(): number {
    const start = this.pos;
    const v = this.uvarintNumber();
    if (v >= 0) return v;
    this.pos = start;
    return Number(this.uvarintBig().big & 0xffffffffn);
  }

  /** An int64 field (two's complement varint), as a JS number. */
  int64(): number {
    const start = this.pos;
    const v = this.uvarintNumber();
    if (v >= 0) return v;
    this.pos = start;
    return Number(BigInt.asIntN(64, this.uvarintBig().big));
  }

  tag(): { field: number; wire: number; at: number } {
    const at = this.pos;
    const key = this.key();
    return { field: key >>> 3, wire: key & 7, at };
  }

  /** A field key (field number << 3 | wire type) without allocating; field 0 is an error. */
  key(): number {
    const at = this.pos;
    const key = this.uint32();
    if (key >>> 3 === 0) throw new ProtobufError(at, 'invalid field number 0');
    return key;
  }

  /** The length prefix at the cursor, without moving it (0 when it cannot be read: lengthEnd() reports that). */
  peekLength(): number {
    const at = this.pos;
    try {
      return this.uint32();
    } catch {
      return 0;
    } finally {
      this.pos = at;
    }
  }

  /** Reads a length prefix and returns the payload's end; the cursor is left at the payload start. */
  lengthEnd(): number {
    const at = this.pos;
    const len = this.uint32();
    const end = this.pos + len;
    if (end > this.end) throw new ProtobufError(at, `length ${len} runs past the end of the enclosing message`);
    return end;
  }

  double(): number {
    if (this.pos + 8 > this.end) throw new ProtobufError(this.pos, 'truncated 64-bit value');
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** The bounds of a length-delimited field's payload; the cursor moves past it. */
  lengthDelimited(): { start: number; end: number } {
    const end = this.lengthEnd();
    const start = this.pos;
    this.pos = end;
    return { start, end };
  }

  string(): string {
    const end = this.lengthEnd();
    const start = this.pos;
    this.pos = end;
    return this.text(start, end);
  }

  /** The UTF-8 text in buf[start, end). */
  text(start: number, end: number): string {
    const buf = this.buf;
    if (end - start <= 64) {
      // Short ASCII strings (label names, most values) skip the TextDecoder call.
      let ascii = true;
      for (let i = start; i < end; i++) {
        if ((buf[i] as number) >= 0x80) {
          ascii = false;
          break;
        }
      }
      if (ascii) {
        this.latin1 ??= Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
        return this.latin1.toString('latin1', start, end);
      }
    }
    try {
      return utf8.decode(buf.subarray(start, end));
    } catch {
      throw new ProtobufError(start, 'string is not valid UTF-8');
    }
  }

  skip(wire: number, at: number): void {
    switch (wire) {
      case WireType.VARINT:
        this.uvarintNumber();
        return;
      case WireType.I64:
        if (this.pos + 8 > this.end) throw new ProtobufError(at, 'truncated 64-bit value');
        this.pos += 8;
        return;
      case WireType.LEN:
        this.lengthDelimited();
        return;
      case WireType.I32:
        if (this.pos + 4 > this.end) throw new ProtobufError(at, 'truncated 32-bit value');
        this.pos += 4;
        return;
      default:
        throw new ProtobufError(at, `unsupported wire type ${wire}`);
    }
  }

  expect(wire: number, actual: number, at: number, what: string): void {
    if (wire !== actual) throw new ProtobufError(at, `${what} has wire type ${actual}, expected ${wire}`);
  }
}

// One 8-byte view shared by every writer (used synchronously only): an ArrayBuffer per writer
// cost more than encoding a small message, and a remote-write request nests one writer per
// label and per sample.
const SCRATCH = new DataView(new ArrayBuffer(8));
const SCRATCH_BYTES = new Uint8Array(SCRATCH.buffer);

export class ProtoWriter {
  // V8 keeps typed arrays of at most 64 bytes on the heap (cheap); larger ones get a
  // separately allocated backing store. Most nested messages fit.
  private buf = new Uint8Array(64);
  private len = 0;

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  uvarint(v: number | bigint): this {
    let big = typeof v === 'bigint' ? BigInt.asUintN(64, v) : undefined;
    if (big === undefined && (v as number) >= 0 && (v as number) <= Number.MAX_SAFE_INTEGER) {
      let n = v as number;
      this.ensure(8);
      while (n >= 0x80) {
        this.buf[this.len++] = (n % 128) | 0x80;
        n = Math.floor(n / 128);
      }
      this.buf[this.len++] = n;
      return this;
    }
    big ??= BigInt.asUintN(64, BigInt(Math.trunc(v as number)));
    this.ensure(10);
    while (big >= 0x80n) {
      this.buf[this.len++] = Number(big & 0x7fn) | 0x80;
      big >>= 7n;
    }
    this.buf[this.len++] = Number(big);
    return this;
  }

  tag(field: number, wire: number): this {
    return this.uvarint(field * 8 + wire);
  }

  int64(field: number, v: number): this {
    if (v === 0) return this; // proto3 default values are not written
    return this.tag(field, WireType.VARINT).uvarint(v < 0 ? BigInt(v) : v);
  }

  double(field: number, v: number): this {
    this.tag(field, WireType.I64);
    this.ensure(8);
    SCRATCH.setFloat64(0, v, true);
    this.buf.set(SCRATCH_BYTES, this.len);
    this.len += 8;
    return this;
  }

  bytes(field: number, b: Uint8Array): this {
    this.tag(field, WireType.LEN).uvarint(b.length);
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }

  string(field: number, s: string): this {
    return this.bytes(field, utf8Encoder.encode(s));
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

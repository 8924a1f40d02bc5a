/**
 * Snappy's block format (github.com/google/snappy format_description.txt), as remote-write
 * uses it: a varint uncompressed length, then literals and back-references. Not the framed
 * (streaming) format. Errors name the byte offset in the compressed input.
 */
export class SnappyError extends Error {
  override name = 'SnappyError';
  constructor(
    readonly offset: number,
    detail: string,
  ) {
    super(`snappy: ${detail} at byte ${offset}`);
  }
}

/** Uncompressed sizes above this are refused before allocating (remote-write bodies are far smaller). */
export const MAX_DECODED_LENGTH = 256 * 1024 * 1024;

function readUvarint32(src: Uint8Array): { value: number; next: number } {
  let value = 0;
  for (let i = 0; i < 5; i++) {
    const b = src[i];
    if (b === undefined) throw new SnappyError(i, 'truncated length preamble');
    value += (b & 0x7f) * 2 ** (7 * i);
    if (b < 0x80) {
      if (value > 0xffffffff) break;
      return { value, next: i + 1 };
    }
  }
  throw new SnappyError(0, 'invalid length preamble');
}

export function snappyDecodedLength(src: Uint8Array): number {
  return readUvarint32(src).value;
}

/**
 * Decompresses `src`. With `into` at least as long as the result, the result is written there
 * and returned as its first bytes (every one of them written, nothing left from before);
 * otherwise it is a new array.
 */
export function snappyDecode(src: Uint8Array, maxLength = MAX_DECODED_LENGTH, into?: Uint8Array): Uint8Array {
  const { value: length, next } = readUvarint32(src);
  if (length > maxLength) throw new SnappyError(0, `decoded length ${length} exceeds the limit of ${maxLength}`);
  const out = into !== undefined && into.length >= length ? into.subarray(0, length) : new Uint8Array(length);
  let d = 0;
  let s = next;
  while (s < src.length) {
    const at = s;
    const tag = src[s++] as number;
    const kind = tag & 3;
    if (kind === 0) {
      let len = tag >> 2;
      if (len >= 60) {
        const extra = len - 59;
        if (s + extra > src.length) throw new SnappyError(at, 'truncated literal length');
        len = 0;
        for (let i = 0; i < extra; i++) len += (src[s + i] as number) * 2 ** (8 * i);
        s += extra;
      }
      len += 1;
      if (s + len > src.length) throw new SnappyError(at, `literal of ${len} bytes runs past the end of the input`);
      if (d + len > length) throw new SnappyError(at, `literal overflows the declared length ${length}`);
      // Short literals (most, in label-heavy protobuf) byte by byte: a subarray per literal costs more.
      if (len <= 32) for (let i = 0; i < len; i++) out[d + i] = src[s + i] as number;
      else out.set(src.subarray(s, s + len), d);
      s += len;
      d += len;
      continue;
    }
    let len: number;
    let offset: number;
    if (kind === 1) {
      if (s + 1 > src.length) throw new SnappyError(at, 'truncated copy');
      len = 4 + ((tag >> 2) & 7);
      offset = ((tag >> 5) << 8) | (src[s] as number);
      s += 1;
    } else if (kind === 2) {
      if (s + 2 > src.length) throw new SnappyError(at, 'truncated copy');
      len = (tag >> 2) + 1;
      offset = (src[s] as number) | ((src[s + 1] as number) << 8);
      s += 2;
    } else {
      if (s + 4 > src.length) throw new SnappyError(at, 'truncated copy');
      len = (tag >> 2) + 1;
      offset = ((src[s] as number) | ((src[s + 1] as number) << 8) | ((src[s + 2] as number) << 16)) + (src[s + 3] as number) * 2 ** 24;
      s += 4;
    }
    if (offset === 0 || offset > d) throw new SnappyError(at, `copy offset ${offset} is outside the ${d} bytes decoded so far`);
    if (d + len > length) throw new SnappyError(at, `copy overflows the declared length ${length}`);
    if (offset >= len && len > 16) {
      out.copyWithin(d, d - offset, d - offset + len);
      d += len;
    } else {
      // Byte by byte: a copy may overlap its own output (offset < len repeats a pattern).
      for (let i = 0; i < len; i++, d++) out[d] = out[d - offset] as number;
    }
  }
  if (d !== length) throw new SnappyError(src.length, `decoded ${d} bytes but the preamble declared ${length}`);
  return out;
}

class ByteSink {
  buf: Uint8Array;
  len = 0;
  constructor(capacity: number) {
    this.buf = new Uint8Array(Math.max(16, capacity));
  }
  push(b: number): void {
    if (this.len === this.buf.length) this.grow(1);
    this.buf[this.len++] = b;
  }
  append(bytes: Uint8Array): void {
    if (this.len + bytes.length > this.buf.length) this.grow(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
  }
  private grow(n: number): void {
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
}

function emitLiteral(out: ByteSink, src: Uint8Array, start: number, end: number): void {
  let n = end - start - 1;
  if (n < 0) return;
  if (n < 60) out.push(n << 2);
  else {
    const bytes: number[] = [];
    while (n > 0) {
      bytes.push(n & 0xff);
      n = Math.floor(n / 256);
    }
    out.push((59 + bytes.length) << 2);
    for (const b of bytes) out.push(b);
  }
  out.append(src.subarray(start, end));
}

function emitCopy(out: ByteSink, offset: number, len: number): void {
  while (len > 0) {
    // Keep at least 4 bytes for the final piece so a 1-byte-offset copy stays possible.
    let n = Math.min(len, 64);
    if (len - n > 0 && len - n < 4) n = len - 4;
    if (n >= 4 && n <= 11 && offset < 2048) {
      out.push(((offset >> 8) << 5) | ((n - 4) << 2) | 1);
      out.push(offset & 0xff);
    } else {
      out.push(((n - 1) << 2) | 2);
      out.push(offset & 0xff);
      out.push(offset >> 8);
    }
    len -= n;
  }
}

/**
 * Compresses with a greedy 4-byte hash match over a 64 KiB window. Output is valid snappy
 * that any decoder reads; it is not byte-identical to the C++ or Go encoders.
 */
export function snappyEncode(src: Uint8Array): Uint8Array {
  const out = new ByteSink(src.length / 2 + 16);
  let n = src.length;
  do {
    out.push((n & 0x7f) | (n >= 0x80 ? 0x80 : 0));
    n = Math.floor(n / 128);
  } while (n > 0);
  const table = new Int32Array(1 << 14).fill(-1);
  const hashAt = (i: number) =>
    (Math.imul((src[i] as number) | ((src[i + 1] as number) << 8) | ((src[i + 2] as number) << 16) | ((src[i + 3] as number) << 24), 0x1e35a7bd) >>> 18) & 0x3fff;
  let literalStart = 0;
  let i = 0;
  while (i + 4 <= src.length) {
    const h = hashAt(i);
    const cand = table[h] as number;
    table[h] = i;
    if (
      cand >= 0 &&
      i - cand <= 0xffff &&
      src[cand] === src[i] &&
      src[cand + 1] === src[i + 1] &&
      src[cand + 2] === src[i + 2] &&
      src[cand + 3] === src[i + 3]
    ) {
      emitLiteral(out, src, literalStart, i);
      let len = 4;
      while (i + len < src.length && src[cand + len] === src[i + len]) len++;
      emitCopy(out, i - cand, len);
      i += len;
      literalStart = i;
    } else i++;
  }
  emitLiteral(out, src, literalStart, src.length);
  return out.buf.slice(0, out.len);
}

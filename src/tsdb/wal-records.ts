import type { Labels } from '../model/labels.js';
import { ByteReader, ByteWriter, crc32, DecodeError } from './bytes.js';

/**
 * WAL record framing: type u8 | payload length u32 LE | CRC-32 of payload u32 LE | payload.
 * A record is written with one write() call and never spans segments.
 */
export const RECORD_HEADER = 9;
export const RecordType = {
  Series: 1,
  Samples: 2,
  /** Checkpoint only: the head's chunks of one series. */
  Chunks: 3,
  /** Checkpoint only: head state that is not in any series. */
  HeadMeta: 4,
} as const;
export type RecordType = (typeof RecordType)[keyof typeof RecordType];

export interface SeriesRecord {
  ref: number;
  labels: Labels;
}

export function frame(type: RecordType, payload: Uint8Array, out: ByteWriter): void {
  out.u8(type);
  out.u32(payload.length);
  out.u32(crc32(payload));
  out.bytes(payload);
}

/** frame() of what `write` writes, written in place in `out`: no payload buffer to copy from. */
export function frameWith(type: RecordType, out: ByteWriter, write: (w: ByteWriter) => void): void {
  out.u8(type);
  const at = out.length;
  out.u32(0);
  out.u32(0);
  write(out);
  const end = out.length;
  out.setU32(at, end - at - 8);
  out.setU32(at + 4, crc32(out.range(at + 8, end)));
}

/** About the bytes encodeSeries() takes for `series` (a little more for ASCII labels, whose head keys are their names and values with lengths). */
export function seriesRecordSize(series: ReadonlyArray<{ readonly key: string }>): number {
  let n = 10;
  for (let i = 0; i < series.length; i++) n += (series[i] as { readonly key: string }).key.length + 16;
  return n;
}

export function encodeSeries(series: readonly SeriesRecord[], w: ByteWriter): void {
  w.uvarint(series.length);
  for (let i = 0; i < series.length; i++) {
    const s = series[i] as SeriesRecord;
    w.uvarint(s.ref);
    // for-in, not Object.keys: no array per series (same order for label names).
    let count = 0;
    for (const _ in s.labels) count++;
    w.uvarint(count);
    for (const n in s.labels) {
      w.string(n);
      w.string(s.labels[n] as string);
    }
  }
}

export function decodeSeries(payload: Uint8Array, where: string): SeriesRecord[] {
  const r = new ByteReader(payload, where);
  const n = r.uvarint();
  const out: SeriesRecord[] = [];
  for (let i = 0; i < n; i++) {
    const ref = r.uvarint();
    const k = r.uvarint();
    const labels: Record<string, string> = {};
    for (let j = 0; j < k; j++) {
      const name = r.string();
      labels[name] = r.string();
    }
    out.push({ ref, labels });
  }
  return out;
}

/** Samples: count, base time, then per sample ref, t - base (zig-zag), value bits. */
export class SamplesEncoder {
  private readonly body = new ByteWriter(1024);
  private base = 0;
  count = 0;

  /** Empties the encoder for reuse (keeps its grown buffer). */
  reset(): void {
    this.body.reset();
    this.count = 0;
  }

  /** reset(), dropping a buffer grown past `keep` bytes (see ByteWriter.release). */
  release(keep: number): void {
    this.body.release(keep);
    this.count = 0;
  }

  add(ref: number, t: number, hi: number, lo: number): void {
    if (this.count === 0) this.base = t;
    this.body.uvarint(ref);
    this.body.varint(t - this.base);
    this.body.bits64(hi, lo);
    this.count++;
  }

  encode(w: ByteWriter): void {
    w.uvarint(this.count);
    w.varint(this.base);
    w.bytes(this.body.result());
  }
}

export function decodeSamples(
  payload: Uint8Array,
  where: string,
  each: (ref: number, t: number, hi: number, lo: number) => void,
): void {
  const r = new ByteReader(payload, where);
  const n = r.uvarint();
  const base = r.varint();
  const bits = new Uint32Array(2);
  for (let i = 0; i < n; i++) {
    const ref = r.uvarint();
    const t = base + r.varint();
    r.bits64(bits);
    each(ref, t, bits[0] as number, bits[1] as number);
  }
}

export interface RawRecord {
  type: number;
  payload: Uint8Array;
}

/** True when buf[from..] is all zero bytes. */
function zerosFrom(buf: Uint8Array, from: number): boolean {
  for (let i = from; i < buf.length; i++) if (buf[i] !== 0) return false;
  return true;
}

/**
 * Parses framed records from a buffer. Stops at the first record that is incomplete or fails its
 * checksum and reports its offset (`goodUntil`), so a torn tail can be truncated there. A tail
 * of zero bytes is space the writer preallocated and ends the log cleanly (no record type is 0).
 */
export function parseRecords(buf: Uint8Array): { records: RawRecord[]; goodUntil: number; problem?: string } {
  const records: RawRecord[] = [];
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let pos = 0;
  while (pos < buf.length) {
    if (buf[pos] === 0 && zerosFrom(buf, pos)) return { records, goodUntil: pos };
    if (buf.length - pos < RECORD_HEADER) return { records, goodUntil: pos, problem: 'incomplete record header' };
    const type = buf[pos] as number;
    const len = view.getUint32(pos + 1, true);
    const crc = view.getUint32(pos + 5, true);
    if (type < RecordType.Series || type > RecordType.HeadMeta) {
      return { records, goodUntil: pos, problem: `unknown record type ${type}` };
    }
    if (pos + RECORD_HEADER + len > buf.length) {
      return { records, goodUntil: pos, problem: `record of ${len} bytes runs past the end of the file` };
    }
    const payload = buf.subarray(pos + RECORD_HEADER, pos + RECORD_HEADER + len);
    if (crc32(payload) !== crc) return { records, goodUntil: pos, problem: 'checksum mismatch' };
    records.push({ type, payload });
    pos += RECORD_HEADER + len;
  }
  return { records, goodUntil: pos };
}

export { DecodeError };

import type { LogEntry } from '../types.js';
import { lineBytes } from './chunk.js';

/**
 * A chunk's line statistics: every line's timestamp and UTF-8 size, grouped by the values
 * of the chunk's low-cardinality structured-metadata fields (level, service, …). Written
 * in front of the compressed chunk body at sealing, so metric queries that only count
 * lines or bytes per label set (`count_over_time`, `rate`, `bytes_over_time` on a bare
 * stream selector) read a few bytes per line instead of decompressing and parsing the
 * lines. Fields with many values (request ids, trace ids) are only named: a query that
 * groups by one of them reads the chunk itself.
 *
 * Layout: u32 LE length of a JSON header, the header, then per group its timestamps (first
 * as the distance from the header's minT, then deltas; entries are in time order) and its
 * line sizes, all as unsigned LEB128 varints.
 */
export interface LineStats {
  /** Fields whose values the groups carry. */
  dims: string[];
  /** Fields present on some line of the chunk but not carried (too many values). */
  other: string[];
  groups: LineGroup[];
}

export interface LineGroup {
  /** Non-empty values of the dims fields shared by the group's lines. */
  fields: Record<string, string>;
  /** Line timestamps (ms), ascending. */
  ts: Float64Array;
  /** Line sizes in UTF-8 bytes, same order. */
  bytes: Float64Array;
}

interface Header {
  v: 1;
  minT: number;
  dims: string[];
  other: string[];
  /** Per group: values of dims ('' = absent), line count. */
  groups: Array<[string[], number]>;
}

/** A field with more distinct values than this in one chunk is not a dimension. */
const MAX_DIM_VALUES = 64;
/** Most groups (distinct dimension tuples) per chunk; dimensions are dropped, most values first, to fit. */
const MAX_GROUPS = 256;

/** Builds the statistics of a chunk's entries (sorted by time); undefined when a timestamp is not an integer. */
export function encodeLineStats(entries: readonly LogEntry[]): Buffer | undefined {
  if (entries.length === 0) return undefined;
  const values = new Map<string, Set<string>>();
  for (const e of entries) {
    if (!Number.isSafeInteger(e.t)) return undefined;
    const f = e.fields;
    if (!f) continue;
    for (const k in f) {
      const v = f[k]!;
      if (v === '') continue;
      let s = values.get(k);
      if (!s) values.set(k, (s = new Set()));
      if (s.size <= MAX_DIM_VALUES) s.add(v);
    }
  }
  const other: string[] = [];
  let dims: string[] = [];
  for (const [k, s] of values) (s.size > MAX_DIM_VALUES ? other : dims).push(k);
  dims.sort((a, b) => values.get(a)!.size - values.get(b)!.size || (a < b ? -1 : 1));
  let groupOf = groupLines(entries, dims);
  while (groupOf.keys.size > MAX_GROUPS) {
    other.push(dims.pop()!);
    groupOf = groupLines(entries, dims);
  }
  other.sort();
  const minT = entries[0]!.t;
  const n = groupOf.keys.size;
  const members: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < entries.length; i++) members[groupOf.index[i]!]!.push(i);
  const header: Header = { v: 1, minT, dims, other, groups: [] };
  for (const [key, g] of groupOf.keys) header.groups[g] = [JSON.parse(key) as string[], members[g]!.length];
  const body = new Varints(entries.length * 4);
  for (const m of members) {
    let prev = minT;
    for (const i of m) {
      const t = entries[i]!.t;
      if (t < prev) return undefined; // not sorted: no statistics rather than wrong ones
      body.put(t - prev);
      prev = t;
    }
    for (const i of m) body.put(lineBytes(entries[i]!.line));
  }
  const head = Buffer.from(JSON.stringify(header), 'utf8');
  const out = Buffer.allocUnsafe(4 + head.length + body.length);
  out.writeUInt32LE(head.length, 0);
  head.copy(out, 4);
  body.copyTo(out, 4 + head.length);
  return out;
}

function groupLines(entries: readonly LogEntry[], dims: readonly string[]): { keys: Map<string, number>; index: Uint32Array } {
  const keys = new Map<string, number>();
  const index = new Uint32Array(entries.length);
  const tuple: string[] = new Array<string>(dims.length);
  for (let i = 0; i < entries.length; i++) {
    const f = entries[i]!.fields;
    for (let d = 0; d < dims.length; d++) tuple[d] = f?.[dims[d]!] ?? '';
    const key = JSON.stringify(tuple);
    let g = keys.get(key);
    if (g === undefined) keys.set(key, (g = keys.size));
    index[i] = g;
    if (keys.size > MAX_GROUPS) break;
  }
  return { keys, index };
}

/** Reads statistics written by encodeLineStats; throws on anything malformed. */
export function decodeLineStats(buf: Uint8Array, what: string): LineStats {
  const bad = (why: string): Error => new Error(`log chunk ${what}: line statistics ${why} (corrupt chunk)`);
  if (buf.length < 4) throw bad('truncated');
  const view = Buffer.from(buf.buffer, buf.byteOffset, buf.length);
  const hl = view.readUInt32LE(0);
  if (4 + hl > buf.length) throw bad('header truncated');
  let h: Header;
  try {
    h = JSON.parse(view.toString('utf8', 4, 4 + hl)) as Header;
  } catch {
    throw bad('header is not valid JSON');
  }
  if (h.v !== 1 || !Array.isArray(h.dims) || !Array.isArray(h.other) || !Array.isArray(h.groups)) throw bad('header has an unknown shape');
  const r = { buf, pos: 4 + hl };
  const groups: LineGroup[] = [];
  for (const [vals, n] of h.groups) {
    const fields: Record<string, string> = {};
    h.dims.forEach((d, i) => {
      const v = vals[i];
      if (v) fields[d] = v;
    });
    const ts = new Float64Array(n);
    let t = h.minT;
    for (let i = 0; i < n; i++) ts[i] = t += readVarint(r, bad);
    const bytes = new Float64Array(n);
    for (let i = 0; i < n; i++) bytes[i] = readVarint(r, bad);
    groups.push({ fields, ts, bytes });
  }
  if (r.pos !== buf.length) throw bad('have trailing bytes');
  return { dims: h.dims, other: h.other, groups };
}

function readVarint(r: { buf: Uint8Array; pos: number }, bad: (why: string) => Error): number {
  let x = 0;
  let mul = 1;
  for (;;) {
    if (r.pos >= r.buf.length) throw bad('truncated');
    const b = r.buf[r.pos++]!;
    x += (b & 0x7f) * mul;
    if (b < 0x80) return x;
    mul *= 128;
    if (mul > 2 ** 56) throw bad('hold a varint that is too long');
  }
}

/** A growable buffer of unsigned LEB128 varints (values up to 2^53, written with arithmetic, not 32-bit shifts). */
class Varints {
  private buf: Uint8Array;
  length = 0;
  constructor(initial: number) {
    this.buf = new Uint8Array(Math.max(16, initial));
  }
  put(x: number): void {
    if (this.length + 8 > this.buf.length) {
      const b = new Uint8Array(this.buf.length * 2);
      b.set(this.buf);
      this.buf = b;
    }
    while (x >= 0x80) {
      this.buf[this.length++] = (x % 0x80) | 0x80;
      x = Math.floor(x / 0x80);
    }
    this.buf[this.length++] = x;
  }
  copyTo(dst: Uint8Array, at: number): void {
    dst.set(this.buf.subarray(0, this.length), at);
  }
}

import type { Labels } from '../model/labels.js';
import type { Matcher } from '../model/matcher.js';
import { SampleLimitError, type LabelHints, type Querier, type SelectHints, type StorageSeries } from '../storage/querier.js';
import type { Block } from './block.js';
import type { Head, MemSeries } from './head.js';
import { postingsForMatchers } from './postings.js';
import { HI, LO } from './bytes.js';
import { CHUNK_MAX_SAMPLES, chunkCount } from './chunk.js';
import { decodeRange, type CursorOwner, type DecodeResult } from './chunk-decode.js';
import { SampleBuffer } from './samples.js';

interface Collected {
  labels: Labels;
  buf: SampleBuffer;
}

/**
 * Sample columns shared by the series of one select (values written as raw words, so stale NaN
 * bits survive). Grows by copying; slices refer to it by offset until the select is done.
 */
class Arena {
  ts: Float64Array;
  vals: Float64Array;
  words: Uint32Array;

  constructor(capacity: number) {
    this.ts = new Float64Array(capacity);
    this.vals = new Float64Array(capacity);
    this.words = new Uint32Array(this.vals.buffer);
  }

  /** Makes room for indexes below `need`. */
  ensure(need: number, used: number): void {
    if (need <= this.ts.length) return;
    const cap = Math.max(need, this.ts.length * 2);
    const ts = new Float64Array(cap);
    ts.set(this.ts.subarray(0, used));
    const vals = new Float64Array(cap);
    const words = new Uint32Array(vals.buffer);
    words.set(this.words.subarray(0, 2 * used)); // as words: NaN payloads copied bit for bit
    this.ts = ts;
    this.vals = vals;
    this.words = words;
  }
}

interface HeadSlice {
  readonly labels: Labels;
  readonly key: string;
  readonly off: number;
  readonly len: number;
}

/**
 * Samples of a chunk with `count` samples over [minT, maxT] expected in [start, end], assuming
 * even spacing: sizes the arena so that most selects never grow it (it grows when wrong).
 */
function estimate(count: number, minT: number, maxT: number, start: number, end: number): number {
  if (start <= minT && end >= maxT) return count;
  const span = maxT - minT;
  if (span <= 0) return count;
  const covered = Math.min(end, maxT) - Math.max(start, minT);
  return Math.min(count, Math.ceil(((count - 1) * covered) / span) + 2);
}

/**
 * Appends the samples of one of `s`'s head chunks with mint <= t <= maxt at index `at`; returns
 * the next free index. Resumes from the series' cursor when it lies in this chunk before mint, and
 * keeps the new resume point when it is further on (later in the same chunk or in a newer one).
 */
function decodeHeadChunk(s: MemSeries, owner: CursorOwner, bytes: Uint8Array, mint: number, maxt: number, a: Arena, at: number, st: DecodeResult): number {
  const cur = s.cursor;
  const from = cur !== undefined && cur.owner === owner && cur.t < mint ? cur : undefined;
  a.ensure(at + chunkCount(bytes) - (from?.n ?? 0), at);
  // Keep the new resume point only when it is further on: later in this chunk, or in a newer one.
  const want = cur === undefined || cur.owner === owner || owner.minT > cur.owner.minT;
  decodeRange(bytes, owner, mint, maxt, a.ts, a.words, at, from, want, st);
  const next = st.resume;
  if (next !== undefined && next !== cur && (cur === undefined || cur.owner !== owner || next.n > cur.n)) s.cursor = next;
  return st.at;
}

/**
 * Decodes `s`'s head samples in [start, end] into the arena at `at`, in time order without
 * duplicates; returns the next free index.
 */
function decodeSeries(s: MemSeries, start: number, end: number, arena: Arena, at: number, st: DecodeResult): number {
  const off = at;
  // Samples within a head chunk ascend (the appender enforces it); only chunk seams need a check.
  let ordered = true;
  for (const c of s.chunks) {
    if (c.maxT < start || c.minT > end) continue;
    const from = at;
    at = decodeHeadChunk(s, c, c.bytes, start, end, arena, at, st);
    if (from > off && at > from && (arena.ts[from] as number) <= (arena.ts[from - 1] as number)) ordered = false;
  }
  const o = s.open;
  if (o !== null && o.count > 0 && !(o.maxT < start || o.minT > end)) {
    const from = at;
    at = decodeHeadChunk(s, o, o.bytes(), start, end, arena, at, st);
    if (from > off && at > from && (arena.ts[from] as number) <= (arena.ts[from - 1] as number)) ordered = false;
  }
  if (ordered || at === off) return at;
  // Overlapping chunks (rare): sort and dedupe through a SampleBuffer, then copy back in place.
  const ts = arena.ts;
  const buf = new SampleBuffer(at - off);
  for (let i = off; i < at; i++) buf.push(ts[i] as number, arena.words[2 * i + HI] as number, arena.words[2 * i + LO] as number);
  buf.normalize();
  ts.set(buf.timestamps(), off);
  arena.vals.set(buf.values(), off);
  return off + buf.length;
}

function byKey(a: HeadSlice, b: HeadSlice): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/**
 * Reads [mint, maxt] across the blocks that overlap it and the head, merging each series'
 * samples by label set. The head is read synchronously at the start of select(), so a concurrent
 * compaction cannot move data between the head and a block under it; blocks are pinned until close().
 */
export class TsdbQuerier implements Querier {
  private closed = false;

  constructor(
    private readonly head: Head,
    private readonly blocks: readonly Block[],
    private readonly mint: number,
    private readonly maxt: number,
  ) {
    for (const b of blocks) b.acquire();
  }

  async select(matchers: readonly Matcher[], hints: SelectHints): Promise<readonly StorageSeries[]> {
    this.assertOpen();
    const start = Math.max(this.mint, hints.start);
    const end = Math.min(this.maxt, hints.end);
    if (start > end) return [];
    if (hints.func === 'series') return this.seriesOnly(matchers, start, end);
    const limit = hints.maxSamples ?? Infinity;
    const { arena, slices } = hints.latest ? this.readHeadLatest(matchers, start, end) : this.readHead(matchers, start, end, limit);
    const blocks = this.blocks.filter((b) => b.overlaps(start, end));
    if (blocks.length === 0) {
      // Head only (recent data, the usual case for alert rules): no merge, one sort.
      slices.sort(byKey);
      const result: StorageSeries[] = new Array<StorageSeries>(slices.length);
      for (let i = 0; i < slices.length; i++) {
        const h = slices[i] as HeadSlice;
        result[i] = { labels: h.labels, timestamps: arena.ts.subarray(h.off, h.off + h.len), values: arena.vals.subarray(h.off, h.off + h.len) };
      }
      return result;
    }
    const out = new Map<string, Collected | HeadSlice>();
    let fromHead = 0;
    for (const h of slices) fromHead += h.len;
    // Block chunks are counted (header counts, estimated for chunks the range cuts) before decoding.
    let counted = fromHead;
    for (const b of blocks) {
      for (const id of postingsForMatchers(b, matchers)) {
        const chunks = await b.readChunks(id, start, end);
        if (chunks.length === 0) continue;
        const s = b.series[id];
        if (!s) continue;
        for (const c of chunks) counted += estimate(chunkCount(c.bytes), c.minT, c.maxT, start, end);
        if (counted > limit) throw new SampleLimitError(limit, counted);
        let e = out.get(s.key) as Collected | undefined;
        if (!e) out.set(s.key, (e = { labels: s.labels, buf: new SampleBuffer() }));
        for (const c of chunks) e.buf.addChunk(c.bytes, start, end);
      }
    }
    for (const h of slices) {
      const e = out.get(h.key) as Collected | undefined;
      if (!e) out.set(h.key, h);
      else {
        e.buf.reserve(h.len);
        for (let i = h.off; i < h.off + h.len; i++) e.buf.push(arena.ts[i] as number, arena.words[2 * i + HI] as number, arena.words[2 * i + LO] as number);
      }
    }
    const keys = [...out.keys()].sort();
    const result: StorageSeries[] = [];
    for (const k of keys) {
      const e = out.get(k) as Collected | HeadSlice;
      if (!('buf' in e)) {
        result.push({ labels: e.labels, timestamps: arena.ts.subarray(e.off, e.off + e.len), values: arena.vals.subarray(e.off, e.off + e.len) });
        continue;
      }
      e.buf.normalize();
      if (e.buf.length === 0) continue;
      result.push({ labels: e.labels, timestamps: e.buf.timestamps(), values: e.buf.values() });
    }
    return result;
  }

  /**
   * Decodes the head's samples in [start, end] of the matching series into one shared arena
   * (sized from the chunk headers' counts and time spans first), so a select allocates two
   * columns, not two per series. Synchronous: see the class comment.
   */
  private readHead(matchers: readonly Matcher[], start: number, end: number, limit: number): { arena: Arena; slices: HeadSlice[] } {
    const head = this.head;
    const picked: MemSeries[] = [];
    let all = 0;
    for (const ref of postingsForMatchers(head.postings, matchers)) {
      const s = head.series.get(ref);
      if (!s) continue;
      let total = 0;
      for (const c of s.chunks) if (!(c.maxT < start || c.minT > end)) total += estimate(chunkCount(c.bytes), c.minT, c.maxT, start, end);
      const o = s.open;
      if (o !== null && o.count > 0 && !(o.maxT < start || o.minT > end)) total += estimate(o.count, o.minT, o.maxT, start, end);
      if (total === 0) continue;
      picked.push(s);
      all += total;
    }
    // The estimate is exact for chunks inside the range and close for the two it cuts: refuse
    // before decoding anything rather than after building it.
    if (all > limit) throw new SampleLimitError(limit, all);
    const arena = new Arena(all + CHUNK_MAX_SAMPLES);
    const slices: HeadSlice[] = [];
    const st: DecodeResult = { at: 0, resume: undefined };
    let at = 0;
    for (const s of picked) {
      const off = at;
      at = decodeSeries(s, start, end, arena, at, st);
      if (at > off) slices.push({ labels: s.labels, key: s.key, off, len: at - off });
    }
    return { arena, slices };
  }

  /**
   * SelectHints.latest: the newest head sample in [start, end] of each matching series, decoding
   * only the newest chunk that overlaps (an instant selector over 5 minutes of 1 s samples
   * decoded 300 samples per series to keep one). Series whose chunks overlap in time take the
   * full path.
   */
  private readHeadLatest(matchers: readonly Matcher[], start: number, end: number): { arena: Arena; slices: HeadSlice[] } {
    const head = this.head;
    const picked: MemSeries[] = [];
    for (const ref of postingsForMatchers(head.postings, matchers)) {
      const s = head.series.get(ref);
      if (s) picked.push(s);
    }
    const arena = new Arena(picked.length + CHUNK_MAX_SAMPLES);
    const slices: HeadSlice[] = [];
    const st: DecodeResult = { at: 0, resume: undefined };
    let at = 0;
    for (const s of picked) {
      const o = s.open !== null && s.open.count > 0 ? s.open : undefined;
      let newest: { owner: CursorOwner; bytes: Uint8Array } | undefined;
      let prevMax = -Infinity;
      let ordered = true;
      for (const c of s.chunks) {
        if (c.minT <= prevMax) ordered = false;
        prevMax = c.maxT;
        if (!(c.maxT < start || c.minT > end)) newest = { owner: c, bytes: c.bytes };
      }
      if (o !== undefined) {
        if (o.minT <= prevMax) ordered = false;
        if (!(o.maxT < start || o.minT > end)) newest = { owner: o, bytes: o.bytes() };
      }
      if (newest === undefined) continue;
      const off = at;
      if (ordered && o !== undefined && newest.owner === o && o.maxT <= end) {
        // The open chunk's newest sample is at hand without decoding (the usual case: a rule at "now").
        arena.ensure(at + 1, at);
        arena.ts[at] = o.maxT;
        arena.words[2 * at + HI] = o.lastHi;
        arena.words[2 * at + LO] = o.lastLo;
        slices.push({ labels: s.labels, key: s.key, off, len: 1 });
        at++;
        continue;
      }
      // Chunks overlapping in time (rare): decode all of them, sorted, and keep the last.
      at = ordered ? decodeHeadChunk(s, newest.owner, newest.bytes, start, end, arena, at, st) : decodeSeries(s, start, end, arena, at, st);
      if (at === off) continue;
      if (at - off > 1) {
        arena.ts[off] = arena.ts[at - 1] as number;
        arena.words[2 * off + HI] = arena.words[2 * (at - 1) + HI] as number;
        arena.words[2 * off + LO] = arena.words[2 * (at - 1) + LO] as number;
        at = off + 1;
      }
      slices.push({ labels: s.labels, key: s.key, off, len: 1 });
    }
    return { arena, slices };
  }

  async labelNames(matchers: readonly Matcher[], _hints?: LabelHints): Promise<string[]> {
    this.assertOpen();
    const names = new Set<string>();
    if (matchers.length === 0) {
      for (const n of this.head.postings.labelNames()) names.add(n);
      for (const b of this.overlapping()) for (const n of b.labelNames()) names.add(n);
    } else {
      for (const l of this.matchingLabels(matchers)) for (const n of Object.keys(l)) names.add(n);
    }
    return Promise.resolve([...names].sort());
  }

  async labelValues(name: string, matchers: readonly Matcher[], _hints?: LabelHints): Promise<string[]> {
    this.assertOpen();
    const values = new Set<string>();
    if (matchers.length === 0) {
      for (const v of this.head.postings.valuesOf(name)) values.add(v);
      for (const b of this.overlapping()) for (const v of b.valuesOf(name)) values.add(v);
    } else {
      for (const l of this.matchingLabels(matchers)) {
        const v = l[name];
        if (v !== undefined) values.add(v);
      }
    }
    return Promise.resolve([...values].sort());
  }

  /**
   * Prometheus's `func: "series"` hint (/api/v1/series): the label sets of the series with data in
   * [start, end], samples left out, so listing series never decodes a chunk.
   */
  private async seriesOnly(matchers: readonly Matcher[], start: number, end: number): Promise<StorageSeries[]> {
    const none = new Float64Array(0);
    const out = new Map<string, Labels>();
    for (const ref of postingsForMatchers(this.head.postings, matchers)) {
      const s = this.head.series.get(ref);
      if (!s) continue;
      const o = s.open;
      const has = s.chunks.some((c) => !(c.maxT < start || c.minT > end)) || (o !== null && o.count > 0 && !(o.maxT < start || o.minT > end));
      if (has) out.set(s.key, s.labels);
    }
    for (const b of this.blocks.filter((x) => x.overlaps(start, end))) {
      for (const id of postingsForMatchers(b, matchers)) {
        const s = b.series[id];
        if (s && !out.has(s.key) && b.hasDataIn(id, start, end)) out.set(s.key, s.labels);
      }
    }
    return [...out.keys()].sort().map((k) => ({ labels: out.get(k) as Labels, timestamps: none, values: none }));
  }

  private overlapping(): Block[] {
    return this.blocks.filter((b) => b.overlaps(this.mint, this.maxt));
  }

  private *matchingLabels(matchers: readonly Matcher[]): Iterable<Labels> {
    for (const ref of postingsForMatchers(this.head.postings, matchers)) {
      const s = this.head.series.get(ref);
      if (s) yield s.labels;
    }
    for (const b of this.overlapping()) {
      for (const id of postingsForMatchers(b, matchers)) {
        const s = b.series[id];
        if (s) yield s.labels;
      }
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('tsdb querier: used after close()');
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const b of this.blocks) void b.release();
  }
}

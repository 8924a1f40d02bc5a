import type { Labels } from '../model/labels.js';
import type { Matcher } from '../model/matcher.js';
import type { LabelHints, Querier, SelectHints, StorageSeries } from '../storage/querier.js';
import type { Block } from './block.js';
import type { Head, MemSeries } from './head.js';
import { postingsForMatchers } from './postings.js';
import { HI, LO } from './bytes.js';
import { ChunkIterator, chunkCount } from './chunk.js';
import { SampleBuffer } from './samples.js';

interface Collected {
  labels: Labels;
  buf: SampleBuffer;
}

/** Sample columns shared by the series of one select; values are written as raw words (stale NaN bits). */
interface Arena {
  readonly ts: Float64Array;
  readonly vals: Float64Array;
  readonly words: Uint32Array;
}

interface HeadSlice {
  readonly labels: Labels;
  readonly arena: Arena;
  readonly off: number;
  readonly len: number;
}

/** Appends the chunk's samples with mint <= t <= maxt at index `at`; returns the next free index. */
function decodeInto(bytes: Uint8Array, mint: number, maxt: number, a: Arena, at: number): number {
  const it = new ChunkIterator(bytes);
  const { ts, words } = a;
  while (it.next()) {
    const t = it.t;
    if (t < mint) continue;
    if (t > maxt) break;
    ts[at] = t;
    words[2 * at + HI] = it.hi;
    words[2 * at + LO] = it.lo;
    at++;
  }
  return at;
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
    const fromHead = this.readHead(matchers, start, end);
    const out = new Map<string, Collected | HeadSlice>();
    for (const b of this.blocks) {
      if (!b.overlaps(start, end)) continue;
      for (const id of postingsForMatchers(b, matchers)) {
        const chunks = await b.readChunks(id, start, end);
        if (chunks.length === 0) continue;
        const s = b.series[id];
        if (!s) continue;
        let e = out.get(s.key) as Collected | undefined;
        if (!e) out.set(s.key, (e = { labels: s.labels, buf: new SampleBuffer() }));
        for (const c of chunks) e.buf.addChunk(c.bytes, start, end);
      }
    }
    for (const [key, h] of fromHead) {
      const e = out.get(key) as Collected | undefined;
      if (!e) out.set(key, h);
      else {
        e.buf.reserve(h.len);
        for (let i = h.off; i < h.off + h.len; i++) e.buf.push(h.arena.ts[i] as number, h.arena.words[2 * i + HI] as number, h.arena.words[2 * i + LO] as number);
      }
    }
    const keys = [...out.keys()].sort();
    const result: StorageSeries[] = [];
    for (const k of keys) {
      const e = out.get(k) as Collected | HeadSlice;
      if ('arena' in e) {
        result.push({ labels: e.labels, timestamps: e.arena.ts.subarray(e.off, e.off + e.len), values: e.arena.vals.subarray(e.off, e.off + e.len) });
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
   * (sized from the chunk headers first), so a select allocates two columns, not two per series.
   * Synchronous: see the class comment.
   */
  private readHead(matchers: readonly Matcher[], start: number, end: number): Map<string, HeadSlice> {
    const head = this.head;
    const picked: Array<{ s: MemSeries; open: Uint8Array | undefined; total: number }> = [];
    let all = 0;
    for (const ref of postingsForMatchers(head.postings, matchers)) {
      const s = head.series.get(ref);
      if (!s) continue;
      let total = 0;
      for (const c of s.chunks) if (!(c.maxT < start || c.minT > end)) total += chunkCount(c.bytes);
      const open = s.open && s.open.count > 0 && !(s.open.maxT < start || s.open.minT > end) ? s.open.bytes() : undefined;
      if (open) total += chunkCount(open);
      if (total === 0) continue;
      picked.push({ s, open, total });
      all += total;
    }
    const ts = new Float64Array(all);
    const vals = new Float64Array(all);
    const arena: Arena = { ts, vals, words: new Uint32Array(vals.buffer) };
    const res = new Map<string, HeadSlice>();
    let at = 0;
    for (const { s, open } of picked) {
      const off = at;
      for (const c of s.chunks) if (!(c.maxT < start || c.minT > end)) at = decodeInto(c.bytes, start, end, arena, at);
      if (open) at = decodeInto(open, start, end, arena, at);
      if (at === off) continue;
      let sorted = true;
      for (let i = off + 1; i < at && sorted; i++) sorted = (ts[i] as number) > (ts[i - 1] as number);
      if (!sorted) {
        // Overlapping chunks (rare): sort and dedupe through a SampleBuffer, then copy back in place.
        const buf = new SampleBuffer(at - off);
        for (let i = off; i < at; i++) buf.push(ts[i] as number, arena.words[2 * i + HI] as number, arena.words[2 * i + LO] as number);
        buf.normalize();
        ts.set(buf.timestamps(), off);
        vals.set(buf.values(), off);
        at = off + buf.length;
      }
      res.set(s.key, { labels: s.labels, arena, off, len: at - off });
    }
    return res;
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

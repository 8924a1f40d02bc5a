import type { Labels } from '../model/labels.js';
import type { Matcher } from '../model/matcher.js';
import type { LabelHints, Querier, SelectHints, StorageSeries } from '../storage/querier.js';
import type { Block } from './block.js';
import type { Head } from './head.js';
import { postingsForMatchers } from './postings.js';
import { SampleBuffer } from './samples.js';

interface Collected {
  labels: Labels;
  buf: SampleBuffer;
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
    const fromHead = new Map<string, Collected>();
    const head = this.head;
    for (const ref of postingsForMatchers(head.postings, matchers)) {
      const s = head.series.get(ref);
      if (!s) continue;
      let buf: SampleBuffer | undefined;
      const add = (bytes: Uint8Array, minT: number, maxT: number): void => {
        if (maxT < start || minT > end) return;
        buf ??= new SampleBuffer();
        buf.addChunk(bytes, start, end);
      };
      for (const c of s.chunks) add(c.bytes, c.minT, c.maxT);
      if (s.open && s.open.count > 0) add(s.open.bytes(), s.open.minT, s.open.maxT);
      if (buf && buf.length > 0) fromHead.set(s.key, { labels: s.labels, buf });
    }
    const out = new Map<string, Collected>();
    for (const b of this.blocks) {
      if (!b.overlaps(start, end)) continue;
      for (const id of postingsForMatchers(b, matchers)) {
        const chunks = await b.readChunks(id, start, end);
        if (chunks.length === 0) continue;
        const s = b.series[id];
        if (!s) continue;
        let e = out.get(s.key);
        if (!e) out.set(s.key, (e = { labels: s.labels, buf: new SampleBuffer() }));
        for (const c of chunks) e.buf.addChunk(c.bytes, start, end);
      }
    }
    for (const [key, h] of fromHead) {
      const e = out.get(key);
      if (!e) out.set(key, h);
      else e.buf.append(h.buf);
    }
    const keys = [...out.keys()].sort();
    const result: StorageSeries[] = [];
    for (const k of keys) {
      const e = out.get(k) as Collected;
      e.buf.normalize();
      if (e.buf.length === 0) continue;
      result.push({ labels: e.labels, timestamps: e.buf.timestamps(), values: e.buf.values() });
    }
    return result;
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

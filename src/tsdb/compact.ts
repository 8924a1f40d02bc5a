import { Block } from './block.js';
import { BlockWriter, type BlockSeriesInput } from './block-writer.js';
import { splitChunk } from './chunk-split.js';
import type { Head, HeadChunk } from './head.js';
import { maxOf } from '../model/arrays.js';

export interface TimeRange {
  minTime: number;
  /** Exclusive. */
  maxTime: number;
}

/**
 * The oldest block-aligned range of the head worth persisting. Like Prometheus, it starts at the
 * head's oldest sample and waits until data reaches half a block range past its end, so late
 * samples for the range can still arrive. Unlike Prometheus, "data reaches" is measured by
 * `horizon` — the head's newest sample, but never later than the clock — so one sample far ahead
 * of the clock cannot make the current range look finished (which would close it to writes
 * and cut blocks for the time between now and that sample).
 */
export function planHeadCompaction(head: Head, blockRange: number, horizon: number): TimeRange | undefined {
  if (!Number.isFinite(head.minT) || !Number.isFinite(head.maxT)) return undefined;
  const minTime = Math.floor(head.minT / blockRange) * blockRange;
  const maxTime = minTime + blockRange;
  if (Math.min(head.maxT, horizon) < maxTime + blockRange / 2) return undefined;
  return { minTime, maxTime };
}

/**
 * Writes every head sample older than range.maxTime to a new block — all of them, not only those
 * inside the range, since Head.truncate(range.maxTime) then drops exactly that set: whatever
 * leaves the head is in the block first. (The head normally holds nothing older than
 * range.minTime and no chunk crossing range.maxTime; both are handled, not assumed.) The caller
 * has already raised the head's minValidTime to range.maxTime, so the snapshot cannot change
 * while it is written. Undefined when the head has no sample in the range.
 */
export async function persistHead(head: Head, dir: string, range: TimeRange, now: number): Promise<Block | undefined> {
  head.sealBefore(range.maxTime);
  const snapshot: BlockSeriesInput[] = [];
  let minTime = range.minTime;
  for (const s of head.series.values()) {
    const chunks: HeadChunk[] = [];
    for (const c of s.chunks) {
      if (c.minT >= range.maxTime) break;
      const part = splitChunk(c, range.maxTime).before;
      if (part) chunks.push(part);
    }
    const o = s.open;
    if (o !== null && o.count > 0 && o.minT < range.maxTime) {
      const part = splitChunk({ bytes: o.bytes(), minT: o.minT, maxT: o.maxT }, range.maxTime).before;
      if (part) chunks.push({ ...part, bytes: part.bytes.slice() });
    }
    if (chunks.length === 0) continue;
    if ((chunks[0] as HeadChunk).minT < minTime) minTime = (chunks[0] as HeadChunk).minT;
    snapshot.push({ labels: s.labels, chunks });
  }
  const w = new BlockWriter(dir, now);
  try {
    for (const s of snapshot) await w.add(s);
    const meta = await w.finish({ minTime, maxTime: range.maxTime }, 1, []);
    return meta ? await Block.open(`${dir}/${meta.ulid}`) : undefined;
  } catch (e) {
    await w.abort();
    throw e;
  }
}

/**
 * Groups of adjacent blocks to merge: for each level range (3, 9, 27… block ranges up to
 * maxRange), blocks falling inside one aligned range are merged once data exists past its end.
 */
export function planMerge(blocks: readonly Block[], blockRange: number, maxRange: number, newest: number): Block[][] {
  const plans: Block[][] = [];
  const used = new Set<Block>();
  for (let r = blockRange * 3; r <= maxRange; r *= 3) {
    const groups = new Map<number, Block[]>();
    for (const b of blocks) {
      if (used.has(b)) continue;
      const start = Math.floor(b.minTime / r) * r;
      if (b.maxTime > start + r) continue;
      const g = groups.get(start) ?? [];
      g.push(b);
      groups.set(start, g);
    }
    for (const [start, g] of groups) {
      if (g.length < 2 || newest < start + r) continue;
      plans.push(g);
      for (const b of g) used.add(b);
    }
  }
  return plans;
}

/** Merges non-overlapping blocks into one, copying chunk bytes verbatim. */
export async function mergeBlocks(dir: string, group: readonly Block[], now: number): Promise<Block | undefined> {
  const ordered = [...group].sort((a, b) => a.minTime - b.minTime);
  const keys = new Map<string, Array<[Block, number]>>();
  for (const b of ordered) {
    b.series.forEach((s, id) => {
      const list = keys.get(s.key) ?? [];
      list.push([b, id]);
      keys.set(s.key, list);
    });
  }
  const w = new BlockWriter(dir, now);
  try {
    for (const parts of keys.values()) {
      const chunks: HeadChunk[] = [];
      for (const [b, id] of parts) for (const c of await b.readChunks(id, -Infinity, Infinity)) chunks.push(c);
      const first = parts[0] as [Block, number];
      const labels = first[0].series[first[1]]?.labels ?? {};
      await w.add({ labels, chunks });
    }
    const range = { minTime: ordered[0]?.minTime ?? 0, maxTime: maxOf(ordered.map((b) => b.maxTime)) };
    const level = maxOf(ordered.map((b) => b.meta.compaction.level)) + 1;
    const sources = [...new Set(ordered.flatMap((b) => b.meta.compaction.sources))];
    const meta = await w.finish(range, level, sources);
    return meta ? await Block.open(`${dir}/${meta.ulid}`) : undefined;
  } catch (e) {
    await w.abort();
    throw e;
  }
}

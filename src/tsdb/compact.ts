import { Block } from './block.js';
import { BlockWriter, type BlockSeriesInput } from './block-writer.js';
import type { Head, HeadChunk } from './head.js';

export interface TimeRange {
  minTime: number;
  /** Exclusive. */
  maxTime: number;
}

/**
 * The oldest block-aligned range of the head worth persisting: Prometheus waits until the head
 * spans 1.5 block ranges so late samples for the range can still arrive.
 */
export function planHeadCompaction(head: Head, blockRange: number): TimeRange | undefined {
  if (!Number.isFinite(head.minT) || !Number.isFinite(head.maxT)) return undefined;
  const minTime = Math.floor(head.minT / blockRange) * blockRange;
  const maxTime = minTime + blockRange;
  if (head.maxT < maxTime + blockRange / 2) return undefined;
  return { minTime, maxTime };
}

/**
 * Writes the head's data in `range` to a new block. The caller has already raised the head's
 * minValidTime to range.maxTime, so the snapshot taken here cannot change while it is written.
 */
export async function persistHead(head: Head, dir: string, range: TimeRange, now: number): Promise<Block | undefined> {
  head.sealBefore(range.maxTime);
  const snapshot: BlockSeriesInput[] = [];
  for (const s of head.series.values()) {
    const chunks = s.chunks.filter((c) => c.maxT < range.maxTime && c.minT >= range.minTime);
    if (chunks.length > 0) snapshot.push({ labels: s.labels, chunks });
  }
  const w = new BlockWriter(dir, now);
  try {
    for (const s of snapshot) await w.add(s);
    const meta = await w.finish(range, 1, []);
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
    const range = { minTime: ordered[0]?.minTime ?? 0, maxTime: Math.max(...ordered.map((b) => b.maxTime)) };
    const level = Math.max(...ordered.map((b) => b.meta.compaction.level)) + 1;
    const sources = [...new Set(ordered.flatMap((b) => b.meta.compaction.sources))];
    const meta = await w.finish(range, level, sources);
    return meta ? await Block.open(`${dir}/${meta.ulid}`) : undefined;
  } catch (e) {
    await w.abort();
    throw e;
  }
}

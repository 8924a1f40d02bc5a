import { ChunkIterator, XorAppender } from './chunk.js';
import type { HeadChunk } from './head.js';

/**
 * Splits a sealed chunk at time `t`: the samples before it and those at or after it, each
 * re-encoded as a chunk of its own (undefined when there are none). Chunks are cut at block
 * boundaries as they are written, so this only runs for chunks from before a change of the
 * block range: rare, and exact rather than fast.
 */
export function splitChunk(c: HeadChunk, t: number): { before: HeadChunk | undefined; after: HeadChunk | undefined } {
  if (c.maxT < t) return { before: c, after: undefined };
  if (c.minT >= t) return { before: undefined, after: c };
  const lo = new XorAppender();
  const hi = new XorAppender();
  const it = new ChunkIterator(c.bytes);
  while (it.next()) (it.t < t ? lo : hi).append(it.t, it.hi, it.lo);
  const sealed = (a: XorAppender): HeadChunk | undefined => (a.count === 0 ? undefined : { bytes: a.seal(), minT: a.minT, maxT: a.maxT });
  return { before: sealed(lo), after: sealed(hi) };
}

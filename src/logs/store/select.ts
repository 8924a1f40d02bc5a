import type { LogEntry } from '../types.js';
import { compareEntries } from './chunk.js';
import { Heap } from './heap.js';

export type Direction = 'forward' | 'backward';

/** Something that yields a time-sorted batch of entries lying within [minT, maxT]. */
export interface Source {
  minT: number;
  maxT: number;
  load(): Promise<readonly LogEntry[]>;
}

/**
 * Merges sources into one ordered stream, loading a source only when its range could
 * hold the next entry: sources are opened in order of their first possible timestamp and
 * an entry is emitted once no unopened source can precede it. So a query with a small
 * limit decompresses only the chunks at the near end of the range.
 */
export async function* mergeSources(
  sources: Source[],
  direction: Direction,
  keep: (e: LogEntry) => boolean,
): AsyncGenerator<LogEntry> {
  const fwd = direction === 'forward';
  sources.sort((a, b) => (fwd ? a.minT - b.minT : b.maxT - a.maxT));
  const heap = new Heap<LogEntry>(fwd ? (a, b) => compareEntries(a, b) < 0 : (a, b) => compareEntries(a, b) > 0);
  let next = 0;
  for (;;) {
    const src = sources[next];
    const top = heap.peek();
    if (src && (top === undefined || (fwd ? src.minT <= top.t : src.maxT >= top.t))) {
      next++;
      for (const e of await src.load()) if (keep(e)) heap.push(e);
      continue;
    }
    const e = heap.pop();
    if (e === undefined) return;
    yield e;
  }
}

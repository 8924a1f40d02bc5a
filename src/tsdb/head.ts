import type { Labels } from '../model/labels.js';
import { CHUNK_MAX_SAMPLES, XorAppender } from './chunk.js';
import type { ChunkCursor } from './chunk-decode.js';
import { StorageError, type RejectReason } from './errors.js';
import { MemPostings } from './mem-postings.js';
import { SeriesById } from './series-by-id.js';

/** A sealed (immutable) chunk. */
export interface HeadChunk {
  readonly bytes: Uint8Array;
  readonly minT: number;
  readonly maxT: number;
}

/** Shared by every series with no sealed chunk yet (most new ones): frozen, so it is replaced, never pushed to. */
const NO_CHUNKS = Object.freeze([]) as unknown as HeadChunk[];

export class MemSeries {
  /** Sealed chunks, oldest first. Replaced rather than mutated while it is NO_CHUNKS. */
  chunks: HeadChunk[] = NO_CHUNKS;
  open: XorAppender | null = null;
  lastT = -Infinity;
  lastHi = 0;
  lastLo = 0;
  /** Its series record is in the WAL (or the current checkpoint). */
  logged = false;
  /** Removed from the head by garbage collection; appenders holding it must look it up again. */
  deleted = false;
  /**
   * The open HeadAppender holding this series' newest pending sample (its id; 0 = none) and that
   * sample's index in its batch: spares a per-sample Map lookup. Cleared when that appender ends.
   */
  batch = 0;
  batchIdx = 0;
  /**
   * Read cache: decoder state inside one of this series' chunks (the open one or a sealed one),
   * left by the query that read furthest into the newest chunk, so the next query starting later
   * resumes there instead of decoding the chunk from its first sample. At most one per series
   * (~100 bytes); appends never invalidate it (they only add bits after it); it moves to the
   * sealed copy when the open chunk is sealed and is dropped with its chunk.
   */
  cursor: ChunkCursor | undefined = undefined;

  constructor(
    readonly ref: number,
    readonly labels: Labels,
    readonly key: string,
  ) {}

  entries(): Array<[string, string]> {
    return Object.entries(this.labels);
  }
}

/** Scratch for building keys: joined once into a flat string (see keyOf). */
const parts: Array<string | number> = [];

/**
 * The key of the label set whose names and values were pushed to `parts`. One join makes a
 * flat string; `+=` would keep a tree of a dozen cons strings per series alive in the key
 * map (~360 bytes per series, and scavenges that copy them).
 */
function joinKey(): string {
  const key = parts.join('');
  parts.length = 0;
  return key;
}

/**
 * Canonical form of a label set: empty values dropped, names sorted. The key length-prefixes
 * every name and value, so equal keys mean equal label sets whatever characters they contain.
 */
export function canonical(labels: Labels): { labels: Labels; key: string } {
  const keys = Object.keys(labels);
  // Already canonical (the usual case: remote-write and scrapes send sorted sets): keep the
  // caller's object, which is immutable by contract, instead of holding a copy per series.
  let sorted = true;
  parts.length = 0;
  for (let i = 0; i < keys.length; i++) {
    const n = keys[i] as string;
    const v = labels[n] as string;
    if (v === '' || (i > 0 && n <= (keys[i - 1] as string))) {
      sorted = false;
      break;
    }
    parts.push(n.length, ':', n, v.length, ':', v);
  }
  if (sorted) return { labels, key: joinKey() };
  parts.length = 0;
  const names = keys.sort();
  const out: Record<string, string> = {};
  for (const n of names) {
    const v = labels[n] as string;
    if (v === '') continue;
    out[n] = v;
    parts.push(n.length, ':', n, v.length, ':', v);
  }
  return { labels: out, key: joinKey() };
}

/** The key of an already canonical (sorted, no empty values) label set. */
export function seriesKey(labels: Labels): string {
  parts.length = 0;
  for (const n of Object.keys(labels)) {
    const v = labels[n] as string;
    parts.push(n.length, ':', n, v.length, ':', v);
  }
  return joinKey();
}

/** Outcome of checking one sample against a series: accept, silently skip (same-value duplicate), or a reason. */
export type Check = 'ok' | 'skip' | RejectReason;

/**
 * The in-memory head: recent samples of every active series, in Gorilla chunks, and a postings
 * index over their labels. Everything older than minValidTime lives in blocks.
 */
export class Head {
  readonly series = new SeriesById<MemSeries>();
  private readonly byKey = new Map<string, MemSeries>();
  /** Label sets are immutable, so the same object always maps to the same series. */
  private cache = new WeakMap<Labels, MemSeries>();
  readonly postings = new MemPostings();
  nextRef = 1;
  minValidTime = -Infinity;
  minT = Infinity;
  maxT = -Infinity;
  chunkCount = 0;

  constructor(readonly chunkRange: number) {}

  getOrCreate(labels: Labels): MemSeries {
    const cached = this.cache.get(labels);
    if (cached && !cached.deleted) return cached;
    const s = this.lookupOrCreate(labels);
    this.cache.set(labels, s);
    return s;
  }

  /** getOrCreate() without the label-object cache (for callers that keep the series themselves). */
  lookupOrCreate(labels: Labels): MemSeries {
    const c = canonical(labels);
    let s = this.byKey.get(c.key);
    if (!s) {
      if (c.key === '') throw new StorageError('invalid', 'sample has an empty label set');
      if (Object.hasOwn(c.labels, '')) throw new StorageError('invalid', `label set ${c.key} has an empty label name`);
      s = this.add(this.nextRef, c.labels, c.key);
    }
    return s;
  }

  /** Creates a series with a known ref (WAL replay), or returns the one with that label set. */
  create(ref: number, labels: Labels, key: string): MemSeries {
    return this.byKey.get(key) ?? this.add(ref, labels, key);
  }

  /** Adds a series whose key is not in the head. */
  private add(ref: number, labels: Labels, key: string): MemSeries {
    const s = new MemSeries(ref, labels, key);
    this.series.set(ref, s);
    this.byKey.set(key, s);
    this.postings.addLabels(ref, labels);
    if (ref >= this.nextRef) this.nextRef = ref + 1;
    return s;
  }

  check(s: MemSeries, t: number, hi: number, lo: number): Check {
    return checkSample(t, hi, lo, s.lastT, s.lastHi, s.lastLo, this.minValidTime);
  }

  /** Appends a sample that passed check(). */
  append(s: MemSeries, t: number, hi: number, lo: number): void {
    let app = s.open;
    // A chunk is cut when a sample reaches the next multiple of chunkRange after its first
    // sample, so no chunk straddles a block boundary (computed, not stored: one number less per series).
    const range = this.chunkRange;
    if (app === null || app.count >= CHUNK_MAX_SAMPLES || t >= (Math.floor(app.minT / range) + 1) * range) {
      if (app !== null) this.seal(s);
      app = new XorAppender();
      s.open = app;
      this.chunkCount++;
    }
    app.append(t, hi, lo);
    s.lastT = t;
    s.lastHi = hi;
    s.lastLo = lo;
    if (t < this.minT) this.minT = t;
    if (t > this.maxT) this.maxT = t;
  }

  private seal(s: MemSeries): void {
    const app = s.open;
    if (app === null) return;
    const c: HeadChunk = { bytes: app.seal(), minT: app.minT, maxT: app.maxT };
    if (s.chunks === NO_CHUNKS) s.chunks = [c];
    else s.chunks.push(c);
    s.open = null;
    // The sealed bytes are the open chunk's bytes verbatim, so its cursor stays valid for them.
    if (s.cursor !== undefined && s.cursor.owner === app) s.cursor = { ...s.cursor, owner: c };
  }

  /** Seals every open chunk that ends before t (it can receive no more samples once minValidTime >= t). */
  sealBefore(t: number): void {
    for (const s of this.series.values()) if (s.open !== null && s.open.maxT < t) this.seal(s);
  }

  /** Restores a chunk from a checkpoint; the newest one is re-opened so appends can continue. */
  restoreChunk(s: MemSeries, c: HeadChunk, isLast: boolean, samples: Iterable<[number, number, number]>): void {
    if (!isLast) {
      if (s.chunks === NO_CHUNKS) s.chunks = [c];
      else s.chunks.push(c);
      this.chunkCount++;
      if (c.minT < this.minT) this.minT = c.minT;
      if (c.maxT > this.maxT) this.maxT = c.maxT;
      return;
    }
    for (const [t, hi, lo] of samples) this.append(s, t, hi, lo);
  }

  /**
   * Drops chunks that end before `t` (they are in a block now) and series left with no data and
   * no pending appends. Returns the number of series removed.
   */
  truncate(t: number): number {
    if (t > this.minValidTime) this.minValidTime = t;
    this.sealBefore(t);
    const dead = new Set<number>();
    let minT = Infinity;
    for (const s of this.series.values()) {
      const before = s.chunks.length;
      if (before > 0 && (s.chunks[0] as HeadChunk).maxT < t) {
        s.chunks = s.chunks.filter((c) => c.maxT >= t);
        this.chunkCount -= before - s.chunks.length;
        const cur = s.cursor;
        if (cur !== undefined && cur.owner !== s.open && !s.chunks.includes(cur.owner as HeadChunk)) s.cursor = undefined;
      }
      const first = s.chunks[0]?.minT ?? s.open?.minT;
      if (first === undefined) dead.add(s.ref);
      else if (first < minT) minT = first;
    }
    this.postings.delete(dead, (ref) => (this.series.get(ref) as MemSeries).entries());
    for (const ref of dead) {
      const s = this.series.get(ref) as MemSeries;
      s.deleted = true;
      this.series.delete(ref);
      this.byKey.delete(s.key);
    }
    this.minT = minT;
    if (this.series.size === 0) this.maxT = -Infinity;
    return dead.size;
  }
}

export function checkSample(
  t: number,
  hi: number,
  lo: number,
  lastT: number,
  lastHi: number,
  lastLo: number,
  minValidTime: number,
): Check {
  if (t < minValidTime) return 'out_of_bounds';
  if (t < lastT) return 'out_of_order';
  if (t === lastT) return hi === lastHi && lo === lastLo ? 'skip' : 'duplicate';
  return 'ok';
}

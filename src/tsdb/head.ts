import { briefLabels, labelLimitProblem, METRIC_LABEL_LIMITS, METRIC_LIMIT_KEYS, type LabelLimits } from '../model/label-limits.js';
import type { Labels } from '../model/labels.js';
import { CHUNK_MAX_SAMPLES, ChunkIterator, XorAppender } from './chunk.js';
import type { ChunkCursor } from './chunk-decode.js';
import { StorageError, type RejectReason } from './errors.js';
import { splitChunk } from './chunk-split.js';
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
  /**
   * The chunk being appended to. The series' newest sample is its last one (or, while none is
   * open, the newest sealed chunk's): not kept again here, which spared a boxed number and
   * three fields per series.
   */
  open: XorAppender | null = null;
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

/**
 * Keys are built as bytes in a scratch buffer and read out as one latin1 string: a flat string
 * and no other allocation (joining an array of parts cost twice the time and ~200 bytes of
 * garbage per key). A name or value with a character above U+00FF cannot be written that way;
 * then the key is joined from strings instead (same content, so the same key).
 */
let keyBuf = Buffer.allocUnsafe(1024);
let keyLen = 0;
let keyWide = false;

function putLength(x: number): void {
  const b = keyBuf;
  if (x < 10) b[keyLen++] = 48 + x;
  else if (x < 100) {
    b[keyLen++] = 48 + ((x / 10) | 0);
    b[keyLen++] = 48 + (x % 10);
  } else {
    const d = String(x);
    for (let i = 0; i < d.length; i++) b[keyLen++] = d.charCodeAt(i);
  }
  b[keyLen++] = 58; // ':'
}

function putText(s: string): void {
  const b = keyBuf;
  let p = keyLen;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff) {
      keyWide = true;
      return;
    }
    b[p++] = c;
  }
  keyLen = p;
}

/** Adds one label to the key being built. */
function put(n: string, v: string): void {
  if (keyWide) return;
  const need = keyLen + n.length + v.length + 34; // + two lengths of up to 16 digits and their ':'
  if (need > keyBuf.length) {
    const next = Buffer.allocUnsafe(Math.max(need, 2 * keyBuf.length));
    keyBuf.copy(next, 0, 0, keyLen);
    keyBuf = next;
  }
  putLength(n.length);
  putText(n);
  if (keyWide) return;
  putLength(v.length);
  putText(v);
}

/** The key of `labels`, whose labels were just put() in order; resets the builder. */
function takeKey(labels: Labels): string {
  let key: string;
  if (keyWide) {
    const pieces: string[] = [];
    for (const n in labels) {
      const v = labels[n] as string;
      pieces.push(`${n.length}:${n}${v.length}:${v}`);
    }
    key = pieces.join('');
  } else key = keyBuf.toString('latin1', 0, keyLen);
  resetKey();
  return key;
}

function resetKey(): void {
  keyLen = 0;
  keyWide = false;
}

/**
 * The label set canonical() returned the key of: the caller's object when it was already
 * canonical, else a sorted copy without empty values. (A module variable instead of a
 * returned pair: series creation is hot and the pair was garbage.)
 */
export let canonicalLabels: Labels = {};

/**
 * Canonical form of a label set: empty values dropped, names sorted; returns its key and sets
 * canonicalLabels. The key length-prefixes every name and value, so equal keys mean equal
 * label sets whatever characters they contain.
 */
export function canonical(labels: Labels): string {
  // Already canonical (the usual case: remote-write and scrapes send sorted sets): keep the
  // caller's object, which is immutable by contract, instead of holding a copy per series.
  // (for-in, unlike Object.keys, allocates nothing for an ordinary object; same order.)
  let prev: string | undefined;
  resetKey();
  for (const n in labels) {
    const v = labels[n] as string;
    if (v === '' || (prev !== undefined && n <= prev)) {
      resetKey();
      return canonicalCopy(labels);
    }
    put(n, v);
    prev = n;
  }
  canonicalLabels = labels;
  return takeKey(labels);
}

function canonicalCopy(labels: Labels): string {
  const names = Object.keys(labels).sort();
  const out: Record<string, string> = {};
  for (const n of names) {
    const v = labels[n] as string;
    if (v === '') continue;
    out[n] = v;
    put(n, v);
  }
  canonicalLabels = out;
  return takeKey(out);
}

/** The key of an already canonical (sorted, no empty values) label set. */
export function seriesKey(labels: Labels): string {
  resetKey();
  for (const n in labels) put(n, labels[n] as string);
  return takeKey(labels);
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
  /** Checked when a series is created (not on WAL replay: what was accepted stays readable). */
  labelLimits: LabelLimits = METRIC_LABEL_LIMITS;

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
    const key = canonical(labels);
    let s = this.byKey.get(key);
    if (!s) {
      const set = canonicalLabels;
      if (key === '') throw new StorageError('invalid', 'sample has an empty label set');
      if (Object.hasOwn(set, '')) throw new StorageError('invalid', `label set ${briefLabels(set)} has an empty label name`);
      const problem = labelLimitProblem(set, this.labelLimits, METRIC_LIMIT_KEYS);
      if (problem !== undefined) throw new StorageError('invalid', `series ${briefLabels(set)}: ${problem}`);
      s = this.add(this.nextRef, set, key);
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
    const app = s.open;
    if (app !== null && app.count > 0) return checkSample(t, hi, lo, app.maxT, app.lastHi, app.lastLo, this.minValidTime);
    const c = s.chunks[s.chunks.length - 1];
    if (c === undefined) return checkSample(t, hi, lo, -Infinity, 0, 0, this.minValidTime);
    if (t !== c.maxT) return checkSample(t, hi, lo, c.maxT, 0, 0, this.minValidTime);
    // Same timestamp as the newest sealed sample (rare): its value decides skip or duplicate.
    const it = new ChunkIterator(c.bytes);
    while (it.next());
    return checkSample(t, hi, lo, it.t, it.hi, it.lo, this.minValidTime);
  }

  /** Appends a sample that passed check(). */
  append(s: MemSeries, t: number, hi: number, lo: number): void {
    let app = s.open;
    // A chunk is cut when a sample reaches the next multiple of chunkRange after its first
    // sample, so no chunk straddles a block boundary (computed, not stored: one number less per series).
    const range = this.chunkRange;
    if (app === null || app.count >= CHUNK_MAX_SAMPLES || t >= (Math.floor(app.minT / range) + 1) * range) {
      let prev: number;
      if (app !== null) {
        prev = app.length;
        this.seal(s);
      } else prev = s.chunks[s.chunks.length - 1]?.bytes.length ?? 0;
      app = new XorAppender(openChunkBytes(prev));
      s.open = app;
      this.chunkCount++;
    }
    app.append(t, hi, lo);
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
   * Drops every sample older than `t` (the caller has persisted them in a block: see
   * persistHead) and series left with no data. A chunk holding samples on both sides of `t` keeps
   * the newer ones. Returns the number of series removed.
   */
  truncate(t: number): number {
    if (t > this.minValidTime) this.minValidTime = t;
    this.sealBefore(t);
    const dead = new Set<number>();
    let minT = Infinity;
    for (const s of this.series.values()) {
      const before = s.chunks.length;
      if (before > 0 && (s.chunks[0] as HeadChunk).minT < t) {
        const kept: HeadChunk[] = [];
        for (const c of s.chunks) {
          const after = c.minT >= t ? c : splitChunk(c, t).after;
          if (after) kept.push(after);
        }
        s.chunks = kept.length > 0 ? kept : NO_CHUNKS;
        this.chunkCount -= before - kept.length;
        const cur = s.cursor;
        if (cur !== undefined && cur.owner !== s.open && !s.chunks.includes(cur.owner as HeadChunk)) s.cursor = undefined;
      }
      const o = s.open;
      if (o !== null && o.count > 0 && o.minT < t) this.reopenFrom(s, o, t);
      const first = s.chunks[0]?.minT ?? (s.open !== null && s.open.count > 0 ? s.open.minT : undefined);
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

  /** Replaces an open chunk that starts before `t` (and ends at or after it) by one with its samples from `t` on. */
  private reopenFrom(s: MemSeries, o: XorAppender, t: number): void {
    const next = new XorAppender();
    const it = new ChunkIterator(o.bytes());
    while (it.next()) if (it.t >= t) next.append(it.t, it.hi, it.lo);
    if (s.cursor !== undefined && s.cursor.owner === o) s.cursor = undefined;
    s.open = next;
  }
}

/**
 * Bytes to reserve for a series' new open chunk: a little more than its previous chunk took
 * (series keep their shape), so most chunks never grow. A chunk that grows moves to a region
 * twice the size and leaves the old one unused in its slab until the slab is freed.
 */
export function openChunkBytes(previous: number): number {
  return previous === 0 ? 48 : Math.max(48, previous + (previous >>> 3) + 8);
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

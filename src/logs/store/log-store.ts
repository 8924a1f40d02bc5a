import { mkdir, open as openFile, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock, type Clock } from '../../model/clock.js';
import { fingerprint, type Labels } from '../../model/labels.js';
import { matchesAll, type Matcher } from '../../model/matcher.js';
import { defaultRedactor, type Redactor } from '../redact.js';
import type { LogEntry, LogInput } from '../types.js';
import { compareEntries, decodeChunk, encodeChunk, lineBytes, type ChunkMeta, type Compression } from './chunk.js';
import { readIndex, writeFileDurable, writeIndex, type IndexFile } from './index-file.js';
import { runsFromEntries, runsFromStats, type FieldSet, type LineRun } from './line-runs.js';
import { decodeLineStats, encodeLineStats, type LineStats } from './line-stats.js';
import { mergeSources, type Direction, type Source } from './select.js';
import { Wal, type WalEntry, type WalRow } from './wal.js';

export interface LogStoreOptions {
  clock?: Clock;
  /** Uncompressed bytes at which a stream's head chunk is sealed (default 256 KiB). */
  chunkBytes?: number;
  /** WAL size that triggers a checkpoint: seal every head, save the index, drop the WAL (default 64 MiB). */
  walCheckpointBytes?: number;
  compression?: Compression;
  retention?: { maxAgeMs?: number; maxBytes?: number };
  /** Applied to every line and field before anything is written; default: built-in rules. */
  redactor?: Redactor;
  /** Decoded chunks kept in memory for repeated queries (default 32). */
  chunkCacheSize?: number;
  /** Memory for chunks' line statistics kept for repeated metric queries (default 32 MiB; ~16 bytes per line). */
  statsCacheBytes?: number;
}

export interface AppendOptions {
  /**
   * The redactor that already produced these inputs' lines and fields. Only when it is the
   * store's own redactor (the same instance) does the store skip its redaction pass; any
   * other value, or none, and the store redacts as usual. Redaction is idempotent, so the
   * stored text is the same either way.
   */
  redactedBy?: unknown;
}

export interface LogStoreStats {
  streams: number;
  chunks: number;
  /** Entries in sealed chunks plus heads. */
  entries: number;
  headEntries: number;
  /** Bytes of chunk files on disk. */
  diskBytes: number;
  /** Uncompressed line bytes stored. */
  lineBytes: number;
  walBytes: number;
  oldestMs: number | null;
  newestMs: number | null;
}

interface Stream {
  id: string;
  labels: Labels;
  chunks: ChunkMeta[];
  sealedSeq: number;
  head: LogEntry[];
  /** WAL row JSON of each head entry (same index; undefined for lines replayed at open), reused by its chunk. */
  headJson: Array<string | undefined>;
  headBytes: number;
  /**
   * Full heads cut off by append(), sorted, waiting to be compressed and written by a
   * sealing task queued behind the append (still in the WAL, still queryable). Never
   * mutated once cut; sealed oldest first so sealedSeq only grows.
   */
  sealing: Sealing[];
}

interface Sealing {
  entries: LogEntry[];
  json: Array<string | undefined>;
  bytes: number;
}

/** An injective string for a raw label set (every name and value, empty ones too, as fingerprint() sees them). */
function labelKey(labels: Labels): string {
  const names = Object.keys(labels);
  if (names.length > 1) names.sort();
  let k = '';
  for (const n of names) {
    const v = labels[n] ?? '';
    k += `${n.length}:${n}${v.length}:${v}`;
  }
  return k;
}

function hasKeys(o: object): boolean {
  for (const _ in o) return true;
  return false;
}

/** Cut heads waiting to be sealed beyond which commits wait for the sealing to catch up. */
const MAX_SEALING_BYTES = 8 * 1024 * 1024;

export class LogStoreError extends Error {
  override name = 'LogStoreError';
}

/**
 * An embedded log store (Loki's model): a stream is a unique label set; each stream's
 * lines go to an in-memory head backed by the WAL and are sealed into compressed,
 * immutable chunk files of ~chunkBytes. The index of streams and chunk time ranges lives
 * in memory and in index.json. Writes are serialized; reads see a consistent snapshot of
 * chunk lists and heads taken when select() starts.
 */
export class LogStore {
  private readonly streams = new Map<string, Stream>();
  private readonly postings = new Map<string, Map<string, Set<string>>>();
  private readonly cache = new Map<string, LogEntry[]>();
  /** Chunk file → its line statistics (least recently used first), and their bytes in memory. */
  private readonly statsCache = new Map<string, { stats: LineStats; bytes: number }>();
  private statsCached = 0;
  /** labelKey(raw labels) → stream: skips the (BigInt) fingerprint for label sets already seen. */
  private readonly byKey = new Map<string, Stream>();
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** A sealing task is queued and has not started yet. */
  private sealQueued = false;
  /** The last sealing attempt failed; the next append retries it before writing anything. */
  private sealFailed = false;
  /** Batches waiting for the next group commit, and whether that commit is queued. */
  private readonly waiting: Array<{ inputs: readonly LogInput[]; redact: boolean; resolve: () => void; reject: (e: unknown) => void }> = [];
  private commitQueued = false;
  /** Line bytes cut from heads and not sealed yet. */
  private sealingBytes = 0;
  /** Sealing passes, one at a time (see sealNow), and index writes, one at a time. */
  private sealChain: Promise<void> = Promise.resolve();
  private indexChain: Promise<void> = Promise.resolve();

  private constructor(
    private readonly dir: string,
    private wal: Wal,
    private nextSeq: number,
    private readonly opts: Required<Omit<LogStoreOptions, 'retention'>> & Pick<LogStoreOptions, 'retention'>,
  ) {}

  static async open(dir: string, options: LogStoreOptions = {}): Promise<LogStore> {
    const opts = {
      clock: options.clock ?? systemClock,
      chunkBytes: options.chunkBytes ?? 256 * 1024,
      walCheckpointBytes: options.walCheckpointBytes ?? 64 * 1024 * 1024,
      compression: options.compression ?? 'gzip',
      retention: options.retention,
      redactor: options.redactor ?? defaultRedactor,
      chunkCacheSize: options.chunkCacheSize ?? 32,
      statsCacheBytes: options.statsCacheBytes ?? 32 * 1024 * 1024,
    } as const;
    await mkdir(join(dir, 'chunks'), { recursive: true });
    await mkdir(join(dir, 'wal'), { recursive: true });
    const idx = await readIndex(dir);
    const wal = await Wal.open(join(dir, 'wal'));
    const store = new LogStore(dir, wal, idx.nextSeq, opts);
    const known = new Set<string>();
    for (const s of idx.streams) {
      const st = store.stream(s.labels, s.id);
      st.chunks = s.chunks;
      st.sealedSeq = s.sealedSeq;
      for (const c of s.chunks) known.add(c.file);
    }
    // Chunk files the index never recorded were written before a crash; the WAL still has their lines.
    for (const f of await readdir(join(dir, 'chunks'))) if (!known.has(f)) await rm(join(dir, 'chunks', f), { force: true });
    await wal.replay((e) => {
      const st = store.streamFor(e.labels);
      if (e.seq <= st.sealedSeq) return;
      store.addToHead(st, e);
      if (e.seq >= store.nextSeq) store.nextSeq = e.seq + 1;
    });
    await store.checkpoint();
    return store;
  }

  /**
   * Appends a batch. Lines and fields are redacted first (unless `options.redactedBy` is
   * this store's redactor); once the promise resolves the batch is in the fsynced WAL and
   * survives a crash, and is visible to select(). Entries need not be in time order.
   *
   * Heads that reach chunkBytes are cut here but compressed and written by a task queued
   * behind this append, so compression overlaps the caller's next batch; flush() waits for
   * it. If that task fails, the next append retries it first and rejects (before touching
   * the WAL) while it keeps failing. `inputs` must not change until the promise settles.
   */
  append(inputs: readonly LogInput[], options: AppendOptions = {}): Promise<void> {
    if (this.closed) return Promise.reject(new LogStoreError('log store is closed'));
    if (inputs.length === 0) return this.serialize(async () => undefined);
    for (let i = 0; i < inputs.length; i++) {
      const inp = inputs[i]!;
      if (!Number.isFinite(inp.t)) return Promise.reject(new LogStoreError(`entry ${i}: timestamp must be a finite number of milliseconds, got ${String(inp.t)}`));
      const ns = inp.ns ?? 0;
      if (!Number.isInteger(ns) || ns < 0 || ns > 999_999) return Promise.reject(new LogStoreError(`entry ${i}: ns must be an integer 0–999999, got ${ns}`));
    }
    const redact = options.redactedBy !== this.opts.redactor;
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ inputs, redact, resolve, reject });
      if (this.commitQueued) return;
      this.commitQueued = true;
      this.serialize(() => this.commitWaiting()).catch(() => undefined);
    });
  }

  /**
   * Group commit: every batch that arrived while the previous WAL write was in flight goes
   * into one WAL record and one fdatasync, so concurrent pushes share the disk's latency
   * instead of queueing behind it. Each batch keeps its own sequence numbers, in arrival order.
   */
  private async commitWaiting(): Promise<void> {
    this.commitQueued = false;
    const group = this.waiting.splice(0);
    if (group.length === 0) return;
    try {
      if (this.sealFailed) await this.sealNow(true);
      // Backpressure: sealing runs beside commits, so it must not fall behind without bound.
      else if (this.sealingBytes > MAX_SEALING_BYTES) await this.sealNow(false);
      const redactor = this.opts.redactor;
      let n = 0;
      for (const g of group) n += g.inputs.length;
      // One head entry and one WAL row per line, made here, after redaction.
      const entries: LogEntry[] = new Array<LogEntry>(n);
      const streams: Stream[] = new Array<Stream>(n);
      const walRows: WalRow[] = new Array<WalRow>(n);
      const table: Labels[] = [];
      const index = new Map<Stream, number>();
      let lastLabels: Labels | undefined;
      let st: Stream | undefined;
      let li = 0;
      let i = 0;
      for (const g of group) {
        for (const inp of g.inputs) {
          if (inp.labels !== lastLabels || !st) {
            st = this.streamFor(inp.labels);
            lastLabels = inp.labels;
            let k = index.get(st);
            if (k === undefined) {
              index.set(st, (k = table.length));
              table.push(st.labels);
            }
            li = k;
          }
          const t = Math.trunc(inp.t);
          const ns = inp.ns ?? 0;
          const seq = this.nextSeq++;
          const line = g.redact ? redactor.redact(inp.line) : inp.line;
          const fields = inp.fields && hasKeys(inp.fields) ? (g.redact ? redactor.redactFields(inp.fields) : inp.fields) : undefined;
          if (fields) {
            entries[i] = { labels: st.labels, t, ns, seq, line, fields };
            walRows[i] = [li, t, ns, seq, line, fields];
          } else {
            entries[i] = { labels: st.labels, t, ns, seq, line };
            walRows[i] = [li, t, ns, seq, line];
          }
          streams[i++] = st;
        }
      }
      const walJson: string[] = new Array<string>(n);
      await this.wal.append(table, walRows, walJson);
      let cut = false;
      for (i = 0; i < n; i++) {
        st = streams[i]!;
        const e = entries[i]!;
        st.head.push(e);
        st.headJson.push(walJson[i]);
        st.headBytes += lineBytes(e.line);
        if (st.headBytes >= this.opts.chunkBytes) {
          this.cut(st);
          cut = true;
        }
      }
      if (this.wal.size >= this.opts.walCheckpointBytes) await this.checkpointLocked();
      else if (cut) this.queueSeal();
    } catch (e) {
      for (const g of group) g.reject(e);
      return;
    }
    for (const g of group) g.resolve();
  }

  /** Resolves once every head cut so far is sealed into a chunk file and the index saved; rejects if that fails. */
  flush(): Promise<void> {
    return this.serialize(() => this.sealNow(true));
  }

  /**
   * Entries of the streams matching all matchers with start ≤ t < end (ms), in time
   * order (`backward` = newest first). `keep` filters lines before `limit` counts them;
   * the iterator is lazy, so stopping early stops the work.
   */
  async *select(
    matchers: readonly Matcher[],
    startMs: number,
    endMs: number,
    direction: Direction = 'backward',
    limit = Infinity,
    keep: (e: LogEntry) => boolean = () => true,
  ): AsyncGenerator<LogEntry> {
    if (this.closed) throw new LogStoreError('log store is closed');
    const sources: Source[] = [];
    const inRange = (e: LogEntry): boolean => e.t >= startMs && e.t < endMs;
    for (const st of this.matchStreams(matchers)) {
      for (const c of st.chunks) {
        if (c.maxT < startMs || c.minT >= endMs) continue;
        sources.push({ minT: c.minT, maxT: c.maxT, load: () => this.loadChunk(st, c) });
      }
      for (const p of st.sealing) {
        const { entries } = p;
        const minT = entries[0]!.t;
        const maxT = entries[entries.length - 1]!.t;
        if (maxT >= startMs && minT < endMs) sources.push({ minT, maxT, load: async () => entries });
      }
      if (st.head.length) {
        const head = [...st.head].sort(compareEntries);
        const minT = head[0]!.t;
        const maxT = head[head.length - 1]!.t;
        if (maxT >= startMs && minT < endMs) sources.push({ minT, maxT, load: async () => head });
      }
    }
    if (limit <= 0) return;
    let n = 0;
    for await (const e of mergeSources(sources, direction, (e) => inRange(e) && keep(e))) {
      yield e;
      if (++n >= limit) return;
    }
  }

  /**
   * Timestamps and sizes of the lines of the streams matching all matchers, grouped by
   * stream and by the values of `fields` (structured metadata), for metric queries that
   * only count lines or bytes. Covers every line in [start, end) and may include lines
   * outside it. Sealed chunks answer from their line statistics when those carry the
   * fields, without decompressing a line. A consistent snapshot, as select().
   */
  async *lineRuns(matchers: readonly Matcher[], startMs: number, endMs: number, fields: FieldSet): AsyncGenerator<LineRun> {
    if (this.closed) throw new LogStoreError('log store is closed');
    const work: Array<() => Promise<LineRun[]>> = [];
    for (const st of this.matchStreams(matchers)) {
      for (const c of st.chunks) if (c.maxT >= startMs && c.minT < endMs) work.push(() => this.chunkRuns(st, c, fields));
      for (const p of st.sealing) {
        const { entries } = p;
        if (entries[entries.length - 1]!.t >= startMs && entries[0]!.t < endMs) work.push(async () => runsFromEntries(st.labels, entries, fields, true));
      }
      if (st.head.length) {
        const head = st.head.slice();
        if (head.some((e) => e.t >= startMs && e.t < endMs)) work.push(async () => runsFromEntries(st.labels, head, fields, false));
      }
    }
    // A few reads in flight: each is a small read of a chunk's head, mostly waiting on the thread pool.
    const AHEAD = 8;
    const pending: Array<Promise<LineRun[]>> = [];
    let next = 0;
    while (next < work.length && pending.length < AHEAD) pending.push(work[next++]!());
    while (pending.length) {
      const runs = await pending.shift()!;
      if (next < work.length) pending.push(work[next++]!());
      yield* runs;
    }
  }

  /** Label sets of the streams matching all matchers that have entries overlapping [start, end). */
  series(matchers: readonly Matcher[], startMs = -Infinity, endMs = Infinity): Labels[] {
    return this.matchStreams(matchers)
      .filter(
        (st) =>
          st.chunks.some((c) => c.maxT >= startMs && c.minT < endMs) ||
          st.sealing.some((p) => p.entries.some((e) => e.t >= startMs && e.t < endMs)) ||
          st.head.some((e) => e.t >= startMs && e.t < endMs),
      )
      .map((st) => st.labels);
  }

  labels(): string[] {
    return [...this.postings.keys()].sort();
  }

  labelValues(name: string): string[] {
    return [...(this.postings.get(name)?.keys() ?? [])].sort();
  }

  stats(): LogStoreStats {
    let chunks = 0, entries = 0, headEntries = 0, diskBytes = 0, bytes = 0;
    let oldest = Infinity, newest = -Infinity;
    for (const st of this.streams.values()) {
      for (const c of st.chunks) {
        chunks++;
        entries += c.count;
        diskBytes += c.size;
        bytes += c.bytes;
        oldest = Math.min(oldest, c.minT);
        newest = Math.max(newest, c.maxT);
      }
      headEntries += st.head.length;
      bytes += st.headBytes;
      for (const e of st.head) {
        oldest = Math.min(oldest, e.t);
        newest = Math.max(newest, e.t);
      }
      for (const p of st.sealing) {
        headEntries += p.entries.length;
        bytes += p.bytes;
        oldest = Math.min(oldest, p.entries[0]!.t);
        newest = Math.max(newest, p.entries[p.entries.length - 1]!.t);
      }
    }
    return {
      streams: this.streams.size, chunks, entries: entries + headEntries, headEntries, diskBytes, lineBytes: bytes,
      walBytes: this.wal.size, oldestMs: Number.isFinite(oldest) ? oldest : null, newestMs: Number.isFinite(newest) ? newest : null,
    };
  }

  /** Seals every head, saves the index, empties the WAL and applies retention. */
  checkpoint(): Promise<void> {
    return this.serialize(() => this.checkpointLocked());
  }

  /**
   * Deletes sealed chunks older than retention.maxAgeMs (by their newest line), then the
   * oldest chunks until chunk files fit in retention.maxBytes. Heads are never dropped.
   */
  applyRetention(): Promise<void> {
    return this.serialize(async () => {
      await this.sealNow(false); // heads cut before now count as chunks
      if (await this.retentionLocked()) await this.saveIndex();
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.serialize(async () => {
      await this.checkpointLocked();
      await this.wal.close();
    });
    this.closed = true;
  }

  private serialize<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new LogStoreError('log store is closed'));
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async checkpointLocked(): Promise<void> {
    for (const st of this.streams.values()) if (st.head.length) this.cut(st);
    await this.sealNow(false);
    await this.retentionLocked();
    await this.saveIndex();
    await this.wal.truncate();
  }

  private async retentionLocked(): Promise<boolean> {
    const r = this.opts.retention;
    if (!r || (r.maxAgeMs === undefined && r.maxBytes === undefined)) return false;
    const drop = new Set<ChunkMeta>();
    const all: Array<{ st: Stream; c: ChunkMeta }> = [];
    for (const st of this.streams.values()) for (const c of st.chunks) all.push({ st, c });
    if (r.maxAgeMs !== undefined) {
      const cutoff = this.opts.clock.now() - r.maxAgeMs;
      for (const x of all) if (x.c.maxT < cutoff) drop.add(x.c);
    }
    if (r.maxBytes !== undefined) {
      let total = all.filter((x) => !drop.has(x.c)).reduce((s, x) => s + x.c.size, 0);
      for (const x of all.filter((x) => !drop.has(x.c)).sort((a, b) => a.c.maxT - b.c.maxT)) {
        if (total <= r.maxBytes) break;
        drop.add(x.c);
        total -= x.c.size;
      }
    }
    if (drop.size === 0) return false;
    for (const { st, c } of all) {
      if (!drop.has(c)) continue;
      st.chunks = st.chunks.filter((x) => x !== c);
      this.cache.delete(c.file);
      const cached = this.statsCache.get(c.file);
      if (cached) {
        this.statsCache.delete(c.file);
        this.statsCached -= cached.bytes;
      }
    }
    for (const st of [...this.streams.values()]) if (st.chunks.length === 0 && st.head.length === 0 && st.sealing.length === 0) this.dropStream(st);
    // The index no longer names the files; delete them after it is saved (a crash in between leaves orphans open() removes).
    await this.saveIndex();
    for (const c of drop) await rm(join(this.dir, 'chunks', c.file), { force: true });
    return true;
  }

  /** Moves the head, sorted, to the stream's sealing list and starts an empty head. */
  private cut(st: Stream): void {
    let entries = st.head;
    let json = st.headJson;
    let sorted = true;
    for (let i = 1; i < entries.length && sorted; i++) sorted = compareEntries(entries[i - 1]!, entries[i]!) <= 0;
    if (!sorted) {
      const order = entries.map((_, i) => i).sort((a, b) => compareEntries(st.head[a]!, st.head[b]!));
      entries = order.map((i) => st.head[i]!);
      json = order.map((i) => st.headJson[i]);
    }
    st.sealing.push({ entries, json, bytes: st.headBytes });
    this.sealingBytes += st.headBytes;
    st.headJson = [];
    st.head = [];
    st.headBytes = 0;
  }

  /**
   * Seals in the background, on the seal chain rather than the write queue, so commits do not
   * wait behind compression and chunk fsyncs. The index is not saved: until the next
   * checkpoint the WAL still holds these lines, and a chunk file the saved index does not
   * name is deleted on open.
   */
  private queueSeal(): void {
    if (this.sealQueued) return;
    this.sealQueued = true;
    this.sealNow(false, () => (this.sealQueued = false)).catch(() => undefined); // sealFailed is set; the next append or flush() reports it
  }

  /** Runs sealPendingLocked on the seal chain: one sealing pass at a time, in order. */
  private sealNow(save: boolean, onStart?: () => void): Promise<void> {
    const run = this.sealChain.then(() => {
      onStart?.();
      return this.sealPendingLocked(save);
    });
    this.sealChain = run.catch(() => undefined);
    return run;
  }

  /** Seals every cut head (oldest first per stream); saves the index when asked and anything changed. */
  private async sealPendingLocked(save: boolean): Promise<void> {
    // After a failure the index may be behind the chunks sealed before it, so save it even if nothing is left to seal.
    let any = this.sealFailed;
    this.sealFailed = false;
    try {
      for (const st of this.streams.values()) {
        while (st.sealing.length) {
          await this.seal(st, st.sealing[0]!);
          any = true;
        }
      }
      if (any && save) await this.saveIndex();
    } catch (e) {
      this.sealFailed = true;
      throw e;
    }
  }

  private async seal(st: Stream, p: Sealing): Promise<void> {
    const { entries } = p;
    let minSeq = Infinity, maxSeq = -Infinity;
    for (const e of entries) {
      if (e.seq < minSeq) minSeq = e.seq;
      if (e.seq > maxSeq) maxSeq = e.seq;
    }
    const file = `${st.id}-${String(minSeq).padStart(12, '0')}.chunk`;
    const body = await encodeChunk(entries, this.opts.compression, p.json);
    const stats = encodeLineStats(entries);
    const data = stats ? Buffer.concat([stats, body]) : body;
    await writeFileDurable(join(this.dir, 'chunks', file), data);
    // Swap the pending entries for the chunk in one step, so a query sees exactly one of them.
    st.chunks.push({
      file, minT: entries[0]!.t, maxT: entries[entries.length - 1]!.t, count: entries.length,
      bytes: p.bytes, size: data.length, minSeq, maxSeq, ...(stats ? { statsBytes: stats.length } : {}),
    });
    st.sealedSeq = Math.max(st.sealedSeq, maxSeq);
    const i = st.sealing.indexOf(p);
    if (i >= 0) {
      st.sealing.splice(i, 1);
      this.sealingBytes -= p.bytes;
    }
  }

  /** Saves the index as it is when the save runs; saves never overlap (one temp file). */
  private saveIndex(): Promise<void> {
    const run = this.indexChain.then(() => this.writeIndexNow());
    this.indexChain = run.catch(() => undefined);
    return run;
  }

  private writeIndexNow(): Promise<void> {
    const idx: IndexFile = {
      version: 1,
      nextSeq: this.nextSeq,
      streams: [...this.streams.values()].map((s) => ({ id: s.id, labels: s.labels, sealedSeq: s.sealedSeq, chunks: s.chunks })),
    };
    return writeIndex(this.dir, idx);
  }

  private async loadChunk(st: Stream, c: ChunkMeta): Promise<LogEntry[]> {
    const hit = this.cache.get(c.file);
    if (hit) {
      this.cache.delete(c.file);
      this.cache.set(c.file, hit);
      return hit;
    }
    let data: Buffer;
    try {
      data = await readFile(join(this.dir, 'chunks', c.file));
    } catch (e) {
      // Retention may delete a chunk while a query that saw it is still running.
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const entries = await decodeChunk(c.statsBytes ? data.subarray(c.statsBytes) : data, st.labels, c.file);
    this.cache.set(c.file, entries);
    if (this.cache.size > this.opts.chunkCacheSize) this.cache.delete(this.cache.keys().next().value!);
    return entries;
  }

  private async chunkRuns(st: Stream, c: ChunkMeta, fields: FieldSet): Promise<LineRun[]> {
    const stats = await this.loadStats(st, c);
    const runs = stats && runsFromStats(st.labels, stats, fields);
    return runs ?? runsFromEntries(st.labels, await this.loadChunk(st, c), fields, true);
  }

  /** A chunk's line statistics: read from the front of its file, or made from its lines for chunks written without them. */
  private async loadStats(st: Stream, c: ChunkMeta): Promise<LineStats | undefined> {
    const hit = this.statsCache.get(c.file);
    if (hit) {
      this.statsCache.delete(c.file);
      this.statsCache.set(c.file, hit);
      return hit.stats;
    }
    let stats: LineStats;
    if (c.statsBytes) {
      const buf = Buffer.allocUnsafe(c.statsBytes);
      let fh;
      try {
        fh = await openFile(join(this.dir, 'chunks', c.file), 'r');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { dims: [], other: [], groups: [] };
        throw e;
      }
      try {
        const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
        if (bytesRead !== buf.length) throw new Error(`log chunk ${c.file}: shorter than its line statistics (corrupt chunk)`);
      } finally {
        await fh.close();
      }
      stats = decodeLineStats(buf, c.file);
    } else {
      const made = encodeLineStats(await this.loadChunk(st, c));
      if (!made) return undefined;
      stats = decodeLineStats(made, c.file);
    }
    let bytes = 64;
    for (const g of stats.groups) bytes += 64 + g.ts.byteLength + g.bytes.byteLength;
    this.statsCache.set(c.file, { stats, bytes });
    this.statsCached += bytes;
    for (const [file, v] of this.statsCache) {
      if (this.statsCached <= this.opts.statsCacheBytes) break;
      this.statsCache.delete(file);
      this.statsCached -= v.bytes;
    }
    return stats;
  }

  private streamFor(labels: Labels): Stream {
    const key = labelKey(labels);
    let st = this.byKey.get(key);
    if (st && this.streams.get(st.id) === st) return st;
    st = this.stream(labels);
    this.byKey.set(key, st);
    return st;
  }

  private stream(labels: Labels, id = fingerprint(labels)): Stream {
    let st = this.streams.get(id);
    if (st) return st;
    const clean: Record<string, string> = {};
    for (const k of Object.keys(labels).sort()) if (labels[k] !== '') clean[k] = labels[k]!;
    st = { id, labels: Object.freeze(clean), chunks: [], sealedSeq: 0, head: [], headJson: [], headBytes: 0, sealing: [] };
    this.streams.set(id, st);
    for (const [k, v] of Object.entries(clean)) {
      let vals = this.postings.get(k);
      if (!vals) this.postings.set(k, (vals = new Map()));
      let ids = vals.get(v);
      if (!ids) vals.set(v, (ids = new Set()));
      ids.add(id);
    }
    return st;
  }

  private dropStream(st: Stream): void {
    this.streams.delete(st.id);
    for (const [k, v] of this.byKey) if (v === st) this.byKey.delete(k);
    for (const [k, v] of Object.entries(st.labels)) {
      const vals = this.postings.get(k);
      vals?.get(v)?.delete(st.id);
      if (vals?.get(v)?.size === 0) vals.delete(v);
      if (vals?.size === 0) this.postings.delete(k);
    }
  }

  private addToHead(st: Stream, e: WalEntry): void {
    const entry: LogEntry = e.fields ? { labels: st.labels, t: e.t, ns: e.ns, seq: e.seq, line: e.line, fields: e.fields } : { labels: st.labels, t: e.t, ns: e.ns, seq: e.seq, line: e.line };
    st.head.push(entry);
    st.headJson.push(undefined);
    st.headBytes += lineBytes(e.line);
  }

  /** Streams by postings of the equality matchers (smallest first), then every matcher. */
  private matchStreams(matchers: readonly Matcher[]): Stream[] {
    let candidates: Iterable<string> | undefined;
    const eq = matchers.filter((m) => m.type === '=' && m.value !== '');
    for (const m of eq) {
      const ids = this.postings.get(m.name)?.get(m.value);
      if (!ids) return [];
      if (candidates === undefined || ids.size < (candidates as Set<string>).size) candidates = ids;
    }
    const out: Stream[] = [];
    for (const id of candidates ?? this.streams.keys()) {
      const st = this.streams.get(id);
      if (st && matchesAll(matchers, st.labels)) out.push(st);
    }
    return out;
  }
}

import { closeSync, fdatasync, fsyncSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CorruptionError } from './errors.js';
import { parseRecords, type RawRecord } from './wal-records.js';

export interface WalLogger {
  warn(message: string): void;
}

const SEGMENT_RE = /^\d{8}$/;
const CHECKPOINT_RE = /^checkpoint\.(\d{8})$/;
const segName = (n: number): string => String(n).padStart(8, '0');

export async function fsyncDir(dir: string): Promise<void> {
  const h = await open(dir, 'r');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

/**
 * Reads the WAL in `<dir>`: the newest checkpoint, then every later segment in order. A record
 * that is torn or fails its checksum ends the log: the segment is truncated there and any later
 * segments removed, with a warning — the samples lost were never acknowledged (a commit returns
 * only after its records are written whole).
 */
export async function replayWal(
  dir: string,
  log: WalLogger,
  onRecord: (r: RawRecord, where: string) => void,
): Promise<{ lastSegment: number }> {
  await mkdir(dir, { recursive: true });
  const names = await readdir(dir);
  for (const n of names) if (n.endsWith('.tmp')) await rm(join(dir, n), { recursive: true, force: true });
  const segments = names.filter((n) => SEGMENT_RE.test(n)).map(Number).sort((a, b) => a - b);
  const checkpoints = names
    .map((n) => CHECKPOINT_RE.exec(n)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  const cp = checkpoints[checkpoints.length - 1];
  let from = 0;
  if (cp !== undefined) {
    const file = join(dir, `checkpoint.${segName(cp)}`);
    const parsed = parseRecords(await readFile(file));
    if (parsed.problem) throw new CorruptionError(`${file}: ${parsed.problem} at byte ${parsed.goodUntil}`);
    for (const r of parsed.records) onRecord(r, file);
    from = cp + 1;
  }
  let last = cp ?? 0;
  const todo = segments.filter((s) => s >= from);
  for (let i = 0; i < todo.length; i++) {
    const seg = todo[i] as number;
    const file = join(dir, segName(seg));
    last = seg;
    const bytes = await readFile(file);
    const parsed = parseRecords(bytes);
    for (const r of parsed.records) onRecord(r, file);
    if (!parsed.problem && parsed.goodUntil < bytes.length) await truncate(file, parsed.goodUntil); // preallocated zeros
    if (parsed.problem) {
      log.warn(`wal: ${file}: ${parsed.problem} at byte ${parsed.goodUntil}; truncating the log there`);
      await truncate(file, parsed.goodUntil);
      for (const later of todo.slice(i + 1)) {
        log.warn(`wal: removing segment ${segName(later)} after the damaged one`);
        await rm(join(dir, segName(later)), { force: true });
      }
      break;
    }
  }
  return { lastSegment: Math.max(last, segments[segments.length - 1] ?? 0, cp ?? 0) };
}

interface RunningSync {
  readonly upTo: number;
  done: Promise<void>;
}

/** fdatasyncs one WAL runs at once (see WalWriter.sync). */
const MAX_PARALLEL_SYNCS = 4;

/** Zeros written ahead of the log at a time (see WalWriter.prepare). */
const PREALLOC_BYTES = 1 << 20;
const ZEROS = new Uint8Array(PREALLOC_BYTES);

/**
 * Appends records to numbered segment files. write() hands the bytes to the OS at once (so a
 * killed process loses nothing written); sync() makes them durable with fdatasync, batching
 * concurrent callers into one call (group commit).
 *
 * Segments are zero-filled ahead of the write position, a MiB at a time, and that fill is
 * synced on its own: records then overwrite space the file already has, so a commit's
 * fdatasync flushes data only, not also the file size through the filesystem journal (about
 * half the time per commit). Readers take a zero tail as the end of the log; a finished
 * segment is cut to its length.
 */
export class WalWriter {
  private fd: number;
  private segment: number;
  /** Bytes of records in the current segment: where the next one goes. */
  private size = 0;
  /** The current segment's length on disk, records plus zeros ahead of them. */
  private filled = 0;
  /** fdatasyncs in flight, oldest first, each with the number of writes it covers. */
  private syncs: RunningSync[] = [];
  /** Writes so far (a sync started after write n covers it). */
  private writes = 0;
  private retired: number[] = [];
  private closed = false;
  /** Bytes of records in segments and the checkpoint, for stats and size retention. */
  totalBytes: number;

  private constructor(
    private readonly dir: string,
    private readonly segmentBytes: number,
    segment: number,
    existingBytes: number,
  ) {
    this.segment = segment;
    this.fd = openSync(join(dir, segName(segment)), 'w');
    this.totalBytes = existingBytes;
  }

  /** Opens a fresh segment after `lastSegment` (replayed segments are never appended to). */
  static async open(dir: string, lastSegment: number, segmentBytes: number): Promise<WalWriter> {
    let existing = 0;
    for (const n of await readdir(dir)) existing += (await stat(join(dir, n))).size;
    const w = new WalWriter(dir, segmentBytes, lastSegment + 1, existing);
    await fsyncDir(dir);
    return w;
  }

  get currentSegment(): number {
    return this.segment;
  }

  write(bytes: Uint8Array): void {
    if (this.closed) throw new Error('wal: write after close');
    if (this.size > 0 && this.size + bytes.length > this.segmentBytes) this.cut();
    this.prepare(bytes.length);
    let off = 0;
    while (off < bytes.length) off += writeSync(this.fd, bytes, off, bytes.length - off, this.size + off);
    this.size += bytes.length;
    this.writes++;
    if (this.size > this.filled) this.filled = this.size;
    this.totalBytes += bytes.length;
  }

  /**
   * Keeps at least half a fill of zeros ahead of a write of `len` bytes, within the segment's
   * size. Written synchronously (page cache only) so no write of records can race it; the
   * fdatasync that makes the new length durable runs now, ahead of the records that need it.
   */
  private prepare(len: number): void {
    const want = Math.min(this.size + len + PREALLOC_BYTES / 2, this.segmentBytes);
    if (want <= this.filled) return;
    while (this.filled < want) {
      const n = Math.min(PREALLOC_BYTES, this.segmentBytes - this.filled);
      let off = 0;
      while (off < n) off += writeSync(this.fd, ZEROS, off, n - off, this.filled + off);
      this.filled += n;
    }
    this.writes++;
    this.sync().catch(() => {}); // a failure here shows again in the next commit's own sync
  }

  /** Starts a new segment; returns the number of the one just finished. */
  cut(): number {
    const old = this.fd;
    const finished = this.segment;
    if (this.filled > this.size) ftruncateSync(old, this.size);
    fsyncSync(old);
    if (this.syncs.length > 0) this.retired.push(old);
    else closeSync(old);
    this.segment++;
    this.fd = openSync(join(this.dir, segName(this.segment)), 'w');
    this.size = 0;
    this.filled = 0;
    return finished;
  }

  /**
   * Resolves once everything written so far is on disk. A sync already running that started
   * after the last write covers it (group commit); otherwise a new fdatasync starts at once,
   * beside any still running: with the segment preallocated a sync flushes data only, so
   * syncs overlap in the device instead of queueing behind each other (waiting for the running
   * one and then a whole second one cost every commit 1.5 syncs on average).
   */
  sync(): Promise<void> {
    const upTo = this.writes;
    for (const s of this.syncs) if (s.upTo >= upTo) return s.done;
    if (this.syncs.length >= MAX_PARALLEL_SYNCS) {
      // Enough in flight: wait for the newest, then sync again if it did not cover us.
      const newest = this.syncs[this.syncs.length - 1] as RunningSync;
      return newest.done.then(
        () => this.sync(),
        () => this.sync(),
      );
    }
    const fd = this.fd;
    const entry: RunningSync = { upTo, done: Promise.resolve() };
    entry.done = new Promise<void>((resolve, reject) => {
      fdatasync(fd, (err) => (err ? reject(err) : resolve()));
    }).finally(() => {
      this.syncs.splice(this.syncs.indexOf(entry), 1);
      if (this.syncs.length === 0) for (const r of this.retired.splice(0)) closeSync(r);
    });
    this.syncs.push(entry);
    return entry.done;
  }

  /**
   * Writes a checkpoint covering segments up to `upTo` (inclusive), then deletes them and older
   * checkpoints. The checkpoint lands atomically (temp file, fsync, rename, fsync dir).
   */
  async checkpoint(upTo: number, contents: Uint8Array): Promise<void> {
    const name = `checkpoint.${segName(upTo)}`;
    const tmp = join(this.dir, `${name}.tmp`);
    await writeFile(tmp, contents);
    const h = await open(tmp, 'r+');
    try {
      await h.sync();
    } finally {
      await h.close();
    }
    await rename(tmp, join(this.dir, name));
    await fsyncDir(this.dir);
    for (const n of await readdir(this.dir)) {
      const m = CHECKPOINT_RE.exec(n);
      const old = (SEGMENT_RE.test(n) && Number(n) <= upTo) || (m && Number(m[1]) < upTo);
      if (old) await rm(join(this.dir, n), { force: true });
    }
    let total = 0;
    for (const n of await readdir(this.dir)) total += (await stat(join(this.dir, n)).catch(() => ({ size: 0 }))).size;
    this.totalBytes = total;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.filled > this.size) ftruncateSync(this.fd, this.size);
    this.filled = this.size;
    await this.sync();
    this.closed = true;
    closeSync(this.fd);
  }
}

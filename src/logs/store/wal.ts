import { open, readdir, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { Labels } from '../../model/labels.js';
import { Scratch } from './scratch.js';

/**
 * Write-ahead log: numbered segment files of records `[u32 length][u32 crc32][JSON]`.
 * append() returns after fdatasync, so an acknowledged batch survives SIGKILL or power
 * loss. Replay stops at the first torn or corrupt record of a segment (the tail a crash
 * left half-written) and continues with the next segment.
 */
export interface WalEntry {
  labels: Labels;
  t: number;
  ns: number;
  seq: number;
  line: string;
  fields?: Record<string, string>;
}

/** One entry in a version 2 record: its stream as an index into the record's labels table. */
export type WalRow = [labels: number, t: number, ns: number, seq: number, line: string, fields?: Record<string, string>];

const SEGMENT = /^(\d{8})\.wal$/;
const segName = (n: number): string => `${String(n).padStart(8, '0')}.wal`;

export class Wal {
  private constructor(
    private readonly dir: string,
    private fh: FileHandle,
    private segment: number,
    private bytes: number,
  ) {}

  private readonly scratch = new Scratch();

  /**
   * Opens the WAL in `dir` on a fresh segment (the last one may end in a torn record).
   * The segments already there are read with replay(), before the next truncate().
   */
  static async open(dir: string): Promise<Wal> {
    const segs = await segments(dir);
    const next = (segs[segs.length - 1] ?? 0) + 1;
    const fh = await open(join(dir, segName(next)), 'a');
    return new Wal(dir, fh, next, 0);
  }

  /**
   * Hands every intact entry of the segments older than the current one to `onEntry`, in
   * order, a record at a time: memory is bounded by the largest record, not the segment, so
   * a WAL of any size replays.
   */
  async replay(onEntry: (e: WalEntry) => void): Promise<void> {
    for (const s of await segments(this.dir)) {
      if (s >= this.segment) break;
      for await (const payload of segmentRecords(join(this.dir, segName(s)))) decodeRecord(payload, onEntry);
    }
  }

  get size(): number {
    return this.bytes;
  }

  /**
   * Appends one record, each row's stream being `labels[row[0]]`. Resolves after fdatasync.
   * With `keep`, keep[i] receives row i's JSON (a chunk row reuses it: see encodeChunk).
   */
  async append(labels: readonly Labels[], rows: readonly WalRow[], keep?: string[]): Promise<void> {
    // Version 2 record: one labels table per record instead of a labels object per entry:
    // {"v":2,"labels":[…],"rows":[[labelsIndex,t,ns,seq,line,fields?],…]}.
    // The JSON is encoded straight after the 8-byte header, in a reused buffer.
    await this.scratch.withJsonRows(`{"v":2,"labels":${JSON.stringify(labels)},"rows":[`, rows, ']}', 8, async (rec) => {
      rec.writeUInt32LE(rec.length - 8, 0);
      rec.writeUInt32LE(crc32(rec.subarray(8)), 4);
      await this.fh.write(rec);
      await this.fh.datasync();
      this.bytes += rec.length;
    }, keep);
  }

  /**
   * Starts a new segment and deletes all older ones. Call only once everything in the
   * old segments is durable elsewhere (sealed chunks and a saved index).
   */
  async truncate(): Promise<void> {
    await this.fh.close();
    const old = this.segment;
    this.segment++;
    this.fh = await open(join(this.dir, segName(this.segment)), 'a');
    this.bytes = 0;
    for (const f of await readdir(this.dir)) {
      const m = SEGMENT.exec(f);
      if (m && Number(m[1]) <= old) await rm(join(this.dir, f), { force: true });
    }
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}

async function segments(dir: string): Promise<number[]> {
  return (await readdir(dir)).map((f) => SEGMENT.exec(f)).filter((m) => m !== null).map((m) => Number(m[1])).sort((a, b) => a - b);
}

const READ_BYTES = 4 * 1024 * 1024;

/**
 * The payloads of a segment's intact records, read a few MiB at a time. Stops at the first
 * torn or corrupt record (the tail a crash left half-written).
 */
async function* segmentRecords(file: string): AsyncGenerator<Buffer> {
  const fh = await open(file, 'r');
  try {
    const size = (await fh.stat()).size;
    let buf = Buffer.alloc(0);
    let off = 0; // of the next record in buf
    let pos = 0; // file position after buf
    let eof = false;
    // Makes buf[off, off + n) available unless the file ends first.
    const fill = async (n: number): Promise<boolean> => {
      while (buf.length - off < n && !eof) {
        const want = Math.max(READ_BYTES, n - (buf.length - off));
        const next = Buffer.allocUnsafe(buf.length - off + want);
        buf.copy(next, 0, off);
        const { bytesRead } = await fh.read(next, buf.length - off, want, pos);
        pos += bytesRead;
        if (bytesRead < want) eof = true;
        buf = next.subarray(0, buf.length - off + bytesRead);
        off = 0;
      }
      return buf.length - off >= n;
    };
    for (;;) {
      if (!(await fill(8))) return;
      const len = buf.readUInt32LE(off);
      const crc = buf.readUInt32LE(off + 4);
      // A length past the end of the file is a torn record (or a corrupt length): never allocate it.
      if (pos - (buf.length - off) + 8 + len > size || !(await fill(8 + len))) return;
      const payload = buf.subarray(off + 8, off + 8 + len);
      if (crc32(payload) !== crc) return;
      off += 8 + len;
      yield payload;
    }
  } finally {
    await fh.close();
  }
}

function decodeRecord(payload: Buffer, onEntry: (e: WalEntry) => void): void {
  const rec = JSON.parse(payload.toString('utf8')) as WalEntry[] | { v: 2; labels: Labels[]; rows: WalRow[] };
  if (Array.isArray(rec)) {
    for (const e of rec) onEntry(e); // version 1: an array of entries
    return;
  }
  for (const r of rec.rows) {
    const e: WalEntry = { labels: rec.labels[r[0]]!, t: r[1], ns: r[2], seq: r[3], line: r[4] };
    if (r[5]) e.fields = r[5];
    onEntry(e);
  }
}

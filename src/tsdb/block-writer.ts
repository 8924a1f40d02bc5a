import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Labels } from '../model/labels.js';
import { ByteWriter, crc32 } from './bytes.js';
import { chunkCount } from './chunk.js';
import { seriesKey, type HeadChunk } from './head.js';
import { fsyncDir } from './wal.js';

/**
 * Immutable block directory `<ulid>/`:
 *   chunks     "VCHK" u8 version, then each chunk's bytes followed by its CRC-32 (u32 LE)
 *   index      "VIDX" u8 version | symbols | series | postings | CRC-32 of everything before
 *   meta.json  ulid, minTime (inclusive), maxTime (exclusive), stats, compaction level and sources
 * Written under `<ulid>.tmp` and renamed into place once fsynced, so a block either exists whole or not at all.
 */
export const CHUNKS_MAGIC = [0x56, 0x43, 0x48, 0x4b];
export const INDEX_MAGIC = [0x56, 0x49, 0x44, 0x58];
export const FORMAT_VERSION = 1;

export interface BlockMeta {
  ulid: string;
  minTime: number;
  maxTime: number;
  stats: { numSamples: number; numSeries: number; numChunks: number };
  compaction: { level: number; sources: string[] };
  version: number;
}

export interface BlockSeriesInput {
  labels: Labels;
  chunks: readonly HeadChunk[];
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ULID: 48-bit millisecond time then 80 random bits, Crockford base32, lexically time-ordered. */
export function newUlid(now = Date.now()): string {
  let out = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    out = (CROCKFORD[t % 32] as string) + out;
    t = Math.floor(t / 32);
  }
  const r = randomBytes(16);
  for (let i = 0; i < 16; i++) out += CROCKFORD[(r[i] as number) % 32];
  return out;
}

interface IndexEntry {
  labels: Labels;
  minT: number[];
  maxT: number[];
  offset: number[];
  length: number[];
}

/** Streams series (in any order; they are sorted by the reader) into a new block directory. */
export class BlockWriter {
  private fh: FileHandle | undefined;
  private readonly buf = new ByteWriter(1 << 20);
  private offset = 0;
  private readonly entries: IndexEntry[] = [];
  private samples = 0;
  private chunks = 0;
  readonly ulid: string;
  private readonly tmp: string;

  constructor(
    private readonly parent: string,
    now: number,
  ) {
    this.ulid = newUlid(now);
    this.tmp = join(parent, `${this.ulid}.tmp`);
  }

  private async file(): Promise<FileHandle> {
    if (!this.fh) {
      await mkdir(this.tmp, { recursive: true });
      this.fh = await open(join(this.tmp, 'chunks'), 'w');
      this.buf.bytes(new Uint8Array([...CHUNKS_MAGIC, FORMAT_VERSION]));
      this.offset = 5;
    }
    return this.fh;
  }

  async add(s: BlockSeriesInput): Promise<void> {
    if (s.chunks.length === 0) return;
    const fh = await this.file();
    const e: IndexEntry = { labels: s.labels, minT: [], maxT: [], offset: [], length: [] };
    for (const c of s.chunks) {
      e.minT.push(c.minT);
      e.maxT.push(c.maxT);
      e.offset.push(this.offset);
      e.length.push(c.bytes.length);
      this.buf.bytes(c.bytes);
      this.buf.u32(crc32(c.bytes));
      this.offset += c.bytes.length + 4;
      this.samples += chunkCount(c.bytes);
      this.chunks++;
    }
    this.entries.push(e);
    if (this.buf.length >= 1 << 20) await this.flush(fh);
  }

  private async flush(fh: FileHandle): Promise<void> {
    const b = this.buf.result();
    let off = 0;
    while (off < b.length) off += (await fh.write(b, off, b.length - off)).bytesWritten;
    this.buf.reset();
  }

  /** Finishes the block; returns its meta, or undefined (and writes nothing) if no series had data. */
  async finish(range: { minTime: number; maxTime: number }, level: number, sources: string[]): Promise<BlockMeta | undefined> {
    if (this.entries.length === 0) {
      await this.abort();
      return undefined;
    }
    const fh = await this.file();
    await this.flush(fh);
    await fh.sync();
    await fh.close();
    this.fh = undefined;
    const index = encodeIndex(this.entries);
    const ih = await open(join(this.tmp, 'index'), 'w');
    try {
      await ih.write(index);
      await ih.sync();
    } finally {
      await ih.close();
    }
    const meta: BlockMeta = {
      ulid: this.ulid,
      minTime: range.minTime,
      maxTime: range.maxTime,
      stats: { numSamples: this.samples, numSeries: this.entries.length, numChunks: this.chunks },
      compaction: { level, sources: sources.length > 0 ? sources : [this.ulid] },
      version: FORMAT_VERSION,
    };
    await writeFile(join(this.tmp, 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
    const mh = await open(join(this.tmp, 'meta.json'), 'r+');
    await mh.sync();
    await mh.close();
    await fsyncDir(this.tmp);
    await rename(this.tmp, join(this.parent, this.ulid));
    await fsyncDir(this.parent);
    return meta;
  }

  async abort(): Promise<void> {
    await this.fh?.close();
    this.fh = undefined;
    await rm(this.tmp, { recursive: true, force: true });
  }
}

function encodeIndex(entries: IndexEntry[]): Uint8Array {
  const keyOf = (l: Labels): string => seriesKey(l);
  entries.sort((a, b) => {
    const ka = keyOf(a.labels);
    const kb = keyOf(b.labels);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  const symbolSet = new Set<string>();
  for (const e of entries) for (const [n, v] of Object.entries(e.labels)) symbolSet.add(n).add(v);
  const symbols = [...symbolSet].sort();
  const symRef = new Map(symbols.map((s, i) => [s, i]));
  const w = new ByteWriter(1 << 16);
  w.bytes(new Uint8Array([...INDEX_MAGIC, FORMAT_VERSION]));
  w.uvarint(symbols.length);
  for (const s of symbols) w.string(s);
  w.uvarint(entries.length);
  const postings = new Map<number, Map<number, number[]>>();
  entries.forEach((e, id) => {
    const pairs = Object.entries(e.labels);
    w.uvarint(pairs.length);
    for (const [n, v] of pairs) {
      const ns = symRef.get(n) as number;
      const vs = symRef.get(v) as number;
      w.uvarint(ns);
      w.uvarint(vs);
      let byValue = postings.get(ns);
      if (!byValue) postings.set(ns, (byValue = new Map()));
      let list = byValue.get(vs);
      if (!list) byValue.set(vs, (list = []));
      list.push(id);
    }
    w.uvarint(e.minT.length);
    for (let i = 0; i < e.minT.length; i++) {
      w.varint(e.minT[i] as number);
      w.uvarint((e.maxT[i] as number) - (e.minT[i] as number));
      w.uvarint(e.offset[i] as number);
      w.uvarint(e.length[i] as number);
    }
  });
  let pairs = 0;
  for (const m of postings.values()) pairs += m.size;
  w.uvarint(pairs);
  for (const [ns, byValue] of postings) for (const [vs, ids] of byValue) {
    w.uvarint(ns);
    w.uvarint(vs);
    w.uvarint(ids.length);
    let prev = 0;
    for (const id of ids) {
      w.uvarint(id - prev);
      prev = id;
    }
  }
  w.u32(crc32(w.result()));
  return w.result();
}

import { open, readFile, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Labels } from '../model/labels.js';
import { ByteReader, crc32 } from './bytes.js';
import { FORMAT_VERSION, INDEX_MAGIC, type BlockMeta } from './block-writer.js';
import { CorruptionError } from './errors.js';
import { seriesKey, type HeadChunk } from './head.js';
import { EMPTY, type PostingsIndex } from './postings.js';

export interface BlockSeries {
  readonly labels: Labels;
  readonly key: string;
  readonly minT: number[];
  readonly maxT: number[];
  readonly offset: number[];
  readonly length: number[];
}

/**
 * A persisted block: its index is loaded into memory on open; chunk bytes are read from the
 * chunks file on demand. Reference counted so retention or compaction never deletes a block
 * that an open querier still reads.
 */
export class Block implements PostingsIndex {
  private fh: Promise<FileHandle> | undefined;
  private refs = 0;
  private deleteWhenFree = false;

  private constructor(
    readonly dir: string,
    readonly meta: BlockMeta,
    readonly series: BlockSeries[],
    private readonly byName: Map<string, Map<string, Uint32Array>>,
    readonly sizeBytes: number,
  ) {}

  static async open(dir: string): Promise<Block> {
    const metaFile = join(dir, 'meta.json');
    let meta: BlockMeta;
    try {
      meta = JSON.parse(await readFile(metaFile, 'utf8')) as BlockMeta;
    } catch (e) {
      throw new CorruptionError(`${metaFile}: cannot read block meta: ${(e as Error).message}`);
    }
    if (meta.version !== FORMAT_VERSION || typeof meta.minTime !== 'number' || typeof meta.maxTime !== 'number') {
      throw new CorruptionError(`${metaFile}: unsupported block version ${String(meta.version)} or missing time range`);
    }
    const indexFile = join(dir, 'index');
    const buf = await readFile(indexFile);
    const { series, byName } = decodeIndex(buf, indexFile);
    const size = buf.length + (await stat(join(dir, 'chunks'))).size + (await stat(metaFile)).size;
    return new Block(dir, meta, series, byName, size);
  }

  get minTime(): number {
    return this.meta.minTime;
  }

  /** Exclusive. */
  get maxTime(): number {
    return this.meta.maxTime;
  }

  overlaps(mint: number, maxt: number): boolean {
    return this.meta.minTime <= maxt && this.meta.maxTime > mint;
  }

  allPostings(): Uint32Array {
    const all = new Uint32Array(this.series.length);
    for (let i = 0; i < all.length; i++) all[i] = i;
    return all;
  }

  valuesOf(name: string): Iterable<string> {
    return this.byName.get(name)?.keys() ?? [];
  }

  postings(name: string, value: string): Uint32Array {
    return this.byName.get(name)?.get(value) ?? EMPTY;
  }

  labelNames(): Iterable<string> {
    return this.byName.keys();
  }

  /** Whether series `id` has a chunk overlapping [mint, maxt] (from the index alone). */
  hasDataIn(id: number, mint: number, maxt: number): boolean {
    const s = this.series[id];
    if (!s) return false;
    for (let i = 0; i < s.minT.length; i++) if (!((s.maxT[i] as number) < mint || (s.minT[i] as number) > maxt)) return true;
    return false;
  }

  /** Chunks of series `id` overlapping [mint, maxt], read with one positioned read and checksummed. */
  async readChunks(id: number, mint: number, maxt: number): Promise<HeadChunk[]> {
    const s = this.series[id];
    if (!s) return [];
    let first = -1;
    let last = -1;
    for (let i = 0; i < s.minT.length; i++) {
      if ((s.maxT[i] as number) < mint || (s.minT[i] as number) > maxt) continue;
      if (first < 0) first = i;
      last = i;
    }
    if (first < 0) return [];
    const start = s.offset[first] as number;
    const end = (s.offset[last] as number) + (s.length[last] as number) + 4;
    const buf = new Uint8Array(end - start);
    this.fh ??= open(join(this.dir, 'chunks'), 'r');
    const fh = await this.fh;
    const { bytesRead } = await fh.read(buf, 0, buf.length, start);
    const where = join(this.dir, 'chunks');
    if (bytesRead !== buf.length) throw new CorruptionError(`${where}: short read at offset ${start}`);
    const view = new DataView(buf.buffer);
    const out: HeadChunk[] = [];
    for (let i = first; i <= last; i++) {
      const off = (s.offset[i] as number) - start;
      const len = s.length[i] as number;
      const bytes = buf.subarray(off, off + len);
      if (crc32(bytes) !== view.getUint32(off + len, true)) {
        throw new CorruptionError(`${where}: checksum mismatch in chunk at offset ${s.offset[i]}`);
      }
      if ((s.maxT[i] as number) < mint || (s.minT[i] as number) > maxt) continue;
      out.push({ bytes, minT: s.minT[i] as number, maxT: s.maxT[i] as number });
    }
    return out;
  }

  acquire(): void {
    this.refs++;
  }

  async release(): Promise<void> {
    this.refs--;
    if (this.refs === 0 && this.deleteWhenFree) await this.remove();
  }

  /** Deletes the block directory now, or when the last reader releases it. */
  async delete(): Promise<void> {
    this.deleteWhenFree = true;
    if (this.refs === 0) await this.remove();
  }

  private async remove(): Promise<void> {
    await this.close();
    await rm(this.dir, { recursive: true, force: true });
  }

  async close(): Promise<void> {
    const fh = this.fh;
    this.fh = undefined;
    if (fh) await (await fh).close();
  }
}

function decodeIndex(buf: Uint8Array, where: string): { series: BlockSeries[]; byName: Map<string, Map<string, Uint32Array>> } {
  if (buf.length < 9) throw new CorruptionError(`${where}: index file is truncated (${buf.length} bytes)`);
  const body = buf.subarray(0, buf.length - 4);
  const want = new DataView(buf.buffer, buf.byteOffset + buf.length - 4, 4).getUint32(0, true);
  if (crc32(body) !== want) throw new CorruptionError(`${where}: index checksum mismatch`);
  for (let i = 0; i < 4; i++) if (body[i] !== INDEX_MAGIC[i]) throw new CorruptionError(`${where}: not a block index`);
  const r = new ByteReader(body, where);
  r.bytes(5);
  const symbols: string[] = [];
  const nsym = r.uvarint();
  for (let i = 0; i < nsym; i++) symbols.push(r.string());
  const sym = (): string => {
    const i = r.uvarint();
    const s = symbols[i];
    if (s === undefined) throw new CorruptionError(`${where}: symbol ${i} out of range`);
    return s;
  };
  const nseries = r.uvarint();
  const series: BlockSeries[] = [];
  for (let i = 0; i < nseries; i++) {
    const labels: Record<string, string> = {};
    const npairs = r.uvarint();
    for (let j = 0; j < npairs; j++) {
      const n = sym();
      labels[n] = sym();
    }
    const nchunks = r.uvarint();
    const s: BlockSeries = { labels, key: seriesKey(labels), minT: [], maxT: [], offset: [], length: [] };
    for (let j = 0; j < nchunks; j++) {
      const minT = r.varint();
      s.minT.push(minT);
      s.maxT.push(minT + r.uvarint());
      s.offset.push(r.uvarint());
      s.length.push(r.uvarint());
    }
    series.push(s);
  }
  const byName = new Map<string, Map<string, Uint32Array>>();
  const npost = r.uvarint();
  for (let i = 0; i < npost; i++) {
    const n = sym();
    const v = sym();
    const ids = new Uint32Array(r.uvarint());
    let prev = 0;
    for (let j = 0; j < ids.length; j++) {
      prev += r.uvarint();
      ids[j] = prev;
    }
    let m = byName.get(n);
    if (!m) byName.set(n, (m = new Map()));
    m.set(v, ids);
  }
  return { series, byName };
}

import { open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Labels } from '../../model/labels.js';
import type { ChunkMeta } from './chunk.js';

/**
 * The persisted index: streams, their sealed chunks and `sealedSeq` (every entry of the
 * stream with seq ≤ it is in a chunk, so WAL replay skips it). Written to a temp file,
 * fsynced and renamed, so a crash leaves the old index or the new one, never half of one.
 */
export interface IndexFile {
  version: 1;
  nextSeq: number;
  streams: Array<{ id: string; labels: Labels; sealedSeq: number; chunks: ChunkMeta[] }>;
}

const NAME = 'index.json';

export async function readIndex(dir: string): Promise<IndexFile> {
  let text: string;
  try {
    text = await readFile(join(dir, NAME), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, nextSeq: 1, streams: [] };
    throw e;
  }
  const idx = JSON.parse(text) as IndexFile;
  if (idx.version !== 1 || !Array.isArray(idx.streams)) throw new Error(`log store index ${join(dir, NAME)}: unsupported version or shape`);
  return idx;
}

export async function writeIndex(dir: string, idx: IndexFile): Promise<void> {
  const tmp = join(dir, `${NAME}.tmp`);
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(JSON.stringify(idx));
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, join(dir, NAME));
}

/** Writes a file durably (temp + fsync + rename). */
export async function writeFileDurable(path: string, data: Buffer): Promise<void> {
  const tmp = `${path}.tmp`;
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
}

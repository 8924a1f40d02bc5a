import { ByteReader, ByteWriter } from './bytes.js';
import { ChunkIterator } from './chunk.js';
import { packChunk } from './chunk-arena.js';
import { canonical, canonicalLabels, type Head, type HeadChunk, type MemSeries } from './head.js';
import {
  decodeSamples,
  decodeSeries,
  encodeSeries,
  frame,
  RecordType,
  type RawRecord,
} from './wal-records.js';

/** Replay state: WAL series refs map to head series (a ref may be renamed if labels repeat). */
export class HeadReplayer {
  private readonly refs = new Map<number, MemSeries>();
  samples = 0;
  skipped = 0;

  constructor(private readonly head: Head) {}

  apply(r: RawRecord, where: string): void {
    const head = this.head;
    switch (r.type) {
      case RecordType.Series:
        for (const s of decodeSeries(r.payload, where)) {
          const key = canonical(s.labels);
          const ms = head.create(s.ref, canonicalLabels, key);
          ms.logged = true;
          this.refs.set(s.ref, ms);
        }
        return;
      case RecordType.Samples:
        decodeSamples(r.payload, where, (ref, t, hi, lo) => {
          const s = this.refs.get(ref);
          if (s && head.check(s, t, hi, lo) === 'ok') {
            head.append(s, t, hi, lo);
            this.samples++;
          } else this.skipped++;
        });
        return;
      case RecordType.Chunks: {
        const rd = new ByteReader(r.payload, where);
        const s = this.refs.get(rd.uvarint());
        const n = rd.uvarint();
        for (let i = 0; i < n; i++) {
          const minT = rd.varint();
          const maxT = rd.varint();
          const raw = rd.bytes(rd.uvarint());
          if (!s || maxT < head.minValidTime) continue;
          // The newest chunk is re-opened from its samples (read here, at once), so only the
          // others are kept, packed into the sealed chunks' slabs.
          const last = i === n - 1;
          const bytes = last ? raw : packChunk(raw);
          const c: HeadChunk = { bytes, minT, maxT };
          head.restoreChunk(s, c, last, last ? samplesOf(bytes) : []);
        }
        return;
      }
      case RecordType.HeadMeta: {
        const rd = new ByteReader(r.payload, where);
        const bounded = rd.u8() === 1;
        const mvt = rd.varint();
        if (bounded && mvt > head.minValidTime) head.minValidTime = mvt;
        const next = rd.uvarint();
        if (next > head.nextRef) head.nextRef = next;
        return;
      }
      default:
        return;
    }
  }
}

function* samplesOf(bytes: Uint8Array): Iterable<[number, number, number]> {
  const it = new ChunkIterator(bytes);
  while (it.next()) yield [it.t, it.hi, it.lo];
}

/**
 * A checkpoint is a snapshot of the head in WAL record form: head meta, every series, and each
 * series' chunks (sealed bytes verbatim; the open chunk as its current bytes). Taken
 * synchronously, so it reflects exactly the WAL segments written before it.
 */
export function encodeCheckpoint(head: Head): Uint8Array {
  const out = new ByteWriter(1 << 16);
  const body = new ByteWriter(1 << 12);
  const bounded = Number.isFinite(head.minValidTime);
  body.u8(bounded ? 1 : 0);
  body.varint(bounded ? head.minValidTime : 0);
  body.uvarint(head.nextRef);
  frame(RecordType.HeadMeta, body.result(), out);
  const all = [...head.series.values()];
  for (let i = 0; i < all.length; i += 1000) {
    body.reset();
    encodeSeries(all.slice(i, i + 1000), body);
    frame(RecordType.Series, body.result(), out);
  }
  for (const s of all) {
    s.logged = true;
    const chunks: HeadChunk[] = [...s.chunks];
    if (s.open && s.open.count > 0) chunks.push({ bytes: s.open.bytes(), minT: s.open.minT, maxT: s.open.maxT });
    if (chunks.length === 0) continue;
    body.reset();
    body.uvarint(s.ref);
    body.uvarint(chunks.length);
    for (const c of chunks) {
      body.varint(c.minT);
      body.varint(c.maxT);
      body.uvarint(c.bytes.length);
      body.bytes(c.bytes);
    }
    frame(RecordType.Chunks, body.result(), out);
  }
  return out.result();
}

import { labelLimitProblem, METRIC_LABEL_LIMITS, METRIC_LIMIT_KEYS, type LabelLimits } from '../model/label-limits.js';
import { ProtobufError, ProtoReader, WireType } from './protobuf.js';
import { snappyDecode, SnappyError } from './snappy.js';
import { BufferPool, Float64Column } from './sample-columns.js';

/**
 * Decoding of remote-write 1.0 bodies (snappy, then prometheus.WriteRequest) into flat arrays,
 * with every distinct label set validated once and numbered: what crosses from a decoding
 * worker thread to the store is numbers, plus the label sets the other side has not seen yet.
 */

export interface ProtoLabel {
  readonly name: string;
  readonly value: string;
}

/** A request that can never succeed as sent: the sender must not retry it (HTTP 400). */
export class BadRequestError extends Error {
  override name = 'BadRequestError';
}

// prometheus.WriteRequest{timeseries=1, metadata=3}; TimeSeries{labels=1, samples=2, exemplars=3, histograms=4};
// Label{name=1, value=2}; Sample{value=1 double, timestamp=2 int64}. Keys are field << 3 | wire type.
const KEY_TIMESERIES = (1 << 3) | WireType.LEN;
const KEY_LABELS = (1 << 3) | WireType.LEN;
const KEY_SAMPLES = (2 << 3) | WireType.LEN;
const KEY_VALUE = (1 << 3) | WireType.I64;
const KEY_TIMESTAMP = (2 << 3) | WireType.VARINT;

/** A series' label set as sent, decoded once and shared by every request that sends the same bytes. */
export interface LabelEntry {
  /** The labels as sent. */
  readonly proto: readonly ProtoLabel[];
  /** validateLabels() passed; only validated entries stay cached across requests. */
  validated: boolean;
}
/** Label sets by their bytes (as a latin1 string), with the keys the request being decoded added. */
export interface LabelCache {
  readonly table: Map<string, LabelEntry>;
  /** Keys added by the request being decoded: removed again if it turns out bad. */
  readonly added: string[];
}

export function newLabelCache(): LabelCache {
  return { table: new Map(), added: [] };
}

/** A decoded request without per-sample objects: series i owns samples [sampleEnd[i-1], sampleEnd[i]). */
export interface FlatRequest {
  readonly series: LabelEntry[];
  readonly sampleEnd: number[];
  readonly histograms: number[];
  readonly ts: number[];
  readonly values: number[];
}

/** The label fields at `ranges` as objects; the reader's position is left as it was. */
function decodeLabels(r: ProtoReader, ranges: readonly number[], n: number): ProtoLabel[] {
  const out: ProtoLabel[] = [];
  const outer = r.end;
  const after = r.pos;
  for (let i = 0; i < n; i += 2) {
    r.pos = ranges[i] as number;
    r.end = ranges[i + 1] as number;
    let name = '';
    let value = '';
    while (r.pos < r.end) {
      const at = r.pos;
      const k = r.key();
      if (k >>> 3 === 1) (r.expect(WireType.LEN, k & 7, at, 'Label.name'), (name = r.string()));
      else if (k >>> 3 === 2) (r.expect(WireType.LEN, k & 7, at, 'Label.value'), (value = r.string()));
      else r.skip(k & 7, at);
    }
    out.push({ name, value });
  }
  r.end = outer;
  r.pos = after;
  return out;
}

/**
 * Scratch for one timeseries' label field bounds (payload start, end pairs): the first
 * `nRanges` entries. Never emptied with `length = 0`, which drops the backing store and made
 * every series regrow it.
 */
const labelRanges: number[] = [];
let nRanges = 0;

/** Histograms in the TimeSeries readTimeSeries() read last (a variable, not a returned pair). */
let lastHistograms = 0;
/**
 * Where readTimeSeries() found the label fields when they were one contiguous run of bytes (the
 * usual case): [runStart, runEnd) of the buffer is then the key, not yet made a string.
 */
let runStart = -1;
let runEnd = -1;

/**
 * Reads one TimeSeries up to `end`: its samples are appended to `ts`/`values`, the bounds of
 * its label fields left in labelRanges. The label fields' bytes as sent, as a latin1 string,
 * are the key a label set is cached by: returned when they were split into several runs;
 * otherwise undefined, and the run is left in runStart/runEnd (see keyText).
 */
/** Where readTimeSeries puts samples: a number[] (decodeFlat) or a Float64Column (the decoder). */
interface SampleSink {
  push(x: number): unknown;
}

function readTimeSeries(r: ProtoReader, latin1: Buffer, end: number, ts: SampleSink, values: SampleSink): string | undefined {
  const outer = r.end;
  r.end = end;
  nRanges = 0;
  let histograms = 0;
  // The key is the label fields' bytes as sent; usually one contiguous run.
  let keyStart = -1;
  let keyEnd = -1;
  let key = '';
  while (r.pos < end) {
    const at = r.pos;
    const k = r.key();
    if (k === KEY_LABELS) {
      const e = r.lengthEnd();
      labelRanges[nRanges++] = r.pos;
      labelRanges[nRanges++] = e;
      if (keyEnd !== at) {
        if (keyStart >= 0) key += latin1.toString('latin1', keyStart, keyEnd);
        keyStart = at;
      }
      keyEnd = e;
      r.pos = e;
    } else if (k === KEY_SAMPLES) {
      const e = r.lengthEnd();
      const sampleOuter = r.end;
      r.end = e;
      let value = 0;
      let timestamp = 0;
      while (r.pos < e) {
        const sat = r.pos;
        const sk = r.key();
        if (sk === KEY_VALUE) value = r.double();
        else if (sk === KEY_TIMESTAMP) timestamp = r.int64();
        else if (sk >>> 3 === 1) r.expect(WireType.I64, sk & 7, sat, 'Sample.value');
        else if (sk >>> 3 === 2) r.expect(WireType.VARINT, sk & 7, sat, 'Sample.timestamp');
        else r.skip(sk & 7, sat);
      }
      r.end = sampleOuter;
      ts.push(timestamp);
      values.push(value);
    } else if (k >>> 3 === 1 || k >>> 3 === 2) {
      r.expect(WireType.LEN, k & 7, at, k >>> 3 === 1 ? 'TimeSeries.labels' : 'TimeSeries.samples');
    } else {
      if (k >>> 3 === 4) histograms++;
      r.skip(k & 7, at);
    }
  }
  r.pos = end;
  r.end = outer;
  lastHistograms = histograms;
  if (key === '') {
    runStart = keyStart < 0 ? 0 : keyStart;
    runEnd = keyStart < 0 ? 0 : keyEnd;
    return undefined;
  }
  return key + latin1.toString('latin1', keyStart, keyEnd);
}

/** Moves past WriteRequest fields other than timeseries; returns the next TimeSeries' end, or -1 at the request's end. */
function nextTimeSeries(r: ProtoReader): number {
  while (!r.done()) {
    const at = r.pos;
    const k = r.key();
    if (k === KEY_TIMESERIES) return r.lengthEnd();
    if (k >>> 3 === 1) r.expect(WireType.LEN, k & 7, at, 'WriteRequest.timeseries');
    r.skip(k & 7, at); // metadata and anything newer
  }
  return -1;
}

/** The key readTimeSeries() found: its return value, or the contiguous run as a string. */
function keyText(split: string | undefined, latin1: Buffer): string {
  // (A hash table keyed by the bytes in place was no faster than this native slice and hash.)
  return split ?? latin1.toString('latin1', runStart, runEnd);
}

/** True when buf[start, end) is exactly `key`'s characters (a latin1 key: one byte each). */
function runIs(buf: Uint8Array, start: number, end: number, key: string | undefined): boolean {
  if (key === undefined || key.length !== end - start) return false;
  for (let i = 0; i < key.length; i++) if (buf[start + i] !== key.charCodeAt(i)) return false;
  return true;
}

/** One label of a set, in order: its name non-empty and after `prev` (remote-write 1.0 requires sorted, unique names). */
function checkLabelName(name: string, prev: string | undefined, index: number): void {
  if (name === '') throw new BadRequestError(`timeseries ${index}: empty label name`);
  if (prev !== undefined) {
    if (name === prev) throw new BadRequestError(`timeseries ${index}: duplicate label name "${name}"`);
    if (name < prev) throw new BadRequestError(`timeseries ${index}: labels are not sorted by name ("${name}" after "${prev}")`);
  }
}

function missingName(index: number): BadRequestError {
  return new BadRequestError(`timeseries ${index}: missing __name__ label`);
}

/** Names sorted, unique and non-empty; __name__ present (remote-write 1.0 requires all of it); within the label limits. */
function validateLabels(ls: readonly ProtoLabel[], index: number, limits: LabelLimits): void {
  let prev: string | undefined;
  let hasName = false;
  for (const l of ls) {
    checkLabelName(l.name, prev, index);
    if (l.name === '__name__' && l.value !== '') hasName = true;
    prev = l.name;
  }
  if (!hasName) throw missingName(index);
  const problem = labelLimitProblem(ls, limits, METRIC_LIMIT_KEYS);
  if (problem !== undefined) throw new BadRequestError(`timeseries ${index}: ${problem}`);
}

const fmt = (x: number): string => x.toLocaleString('en-US');

/**
 * Decodes a protobuf (already decompressed) WriteRequest, finding each series' label set in
 * `cache` by its bytes (new ones are decoded, validated and added). On a bad request nothing
 * new stays in the cache and BadRequestError names the byte offset or timeseries index.
 */
export function decodeFlat(buf: Uint8Array, cache: LabelCache, limits: LabelLimits = METRIC_LABEL_LIMITS): FlatRequest {
  const r = new ProtoReader(buf);
  const latin1 = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const out: FlatRequest = { series: [], sampleEnd: [], histograms: [], ts: [], values: [] };
  try {
    for (;;) {
      try {
        const end = nextTimeSeries(r);
        if (end < 0) break;
        const key = keyText(readTimeSeries(r, latin1, end, out.ts, out.values), latin1);
        let entry = cache.table.get(key);
        if (entry === undefined) {
          entry = { proto: decodeLabels(r, labelRanges, nRanges), validated: false };
          cache.table.set(key, entry);
          cache.added.push(key);
        }
        out.series.push(entry);
        out.sampleEnd.push(out.ts.length);
        out.histograms.push(lastHistograms);
      } catch (e) {
        if (e instanceof ProtobufError) throw new BadRequestError(`${e.message} (in timeseries ${out.series.length})`);
        throw e;
      }
    }
    for (let i = 0; i < out.series.length; i++) {
      const entry = out.series[i] as LabelEntry;
      if (entry.validated) continue;
      validateLabels(entry.proto, i, limits);
      entry.validated = true;
    }
  } catch (e) {
    for (const key of cache.added) cache.table.delete(key);
    cache.added.length = 0;
    throw e;
  }
  cache.added.length = 0;
  return out;
}

/**
 * The most a remote-write body may decompress to. Senders batch a few thousand samples per
 * request (Prometheus 3: 10,000, well under 2 MiB); a snappy body expands up to ~21×, so
 * without this a 10 MB request could make the server decode and store 200 MB of samples.
 */
export const MAX_REMOTE_WRITE_DECODED = 32 * 1024 * 1024;

/** The largest decompression buffer a RemoteWriteDecoder keeps between requests (4 MiB: bodies of ~100,000 samples). */
export const SCRATCH_MAX_BYTES = 4 * 1024 * 1024;

export function snappyDecodeBody(body: Uint8Array, into?: Uint8Array): Uint8Array {
  try {
    return snappyDecode(body, MAX_REMOTE_WRITE_DECODED, into);
  } catch (e) {
    if (e instanceof SnappyError) throw new BadRequestError(e.message);
    throw e;
  }
}

/**
 * One decoded request as numbers: series i of the request is label set `series[i]` and owns
 * samples [sampleEnd[i-1], sampleEnd[i]) of `ts`/`values`. Label sets numbered for the first
 * time come along: `newIds[k]` has `newSizes[k]` labels, given in `newLabels` as string
 * numbers, name then value. Strings are numbered too, so each crosses once: `newStrings` are
 * the strings numbered by this batch, in order (the receiving table appends them). Only
 * arrays of numbers and strings, so a batch crosses threads cheaply.
 */
export interface DecodedBatch {
  readonly series: Int32Array;
  readonly sampleEnd: Int32Array;
  readonly ts: Float64Array;
  readonly values: Float64Array;
  readonly newIds: ArrayLike<number>;
  readonly newSizes: ArrayLike<number>;
  readonly newLabels: ArrayLike<number>;
  readonly newStrings: string[];
  /** The decoder forgot every number before this batch (its tables were full): numbering restarted at 0. */
  readonly reset: boolean;
}

/** Label sets kept before the decoder forgets them all (bounds memory under series churn). */
export const MAX_LABEL_SETS = 1 << 20;

/** What one decode() collects before it becomes a DecodedBatch. */
interface Pending {
  readonly series: number[];
  readonly sampleEnd: number[];
  readonly ts: Float64Column;
  readonly values: Float64Column;
  readonly newIds: number[];
  readonly newSizes: number[];
  readonly newLabels: number[];
  readonly newStrings: string[];
  /** Label set keys this request added: forgotten again if it turns out bad. */
  readonly addedKeys: string[];
}

/**
 * Remote-write bodies to DecodedBatch. Stateful: a label set is numbered the first time it is
 * seen and only its number is sent after that, so batches must be applied (SeriesTable) in
 * the order they were decoded.
 *
 * A new label set goes straight from its bytes to string numbers, validated as it is read:
 * no label objects, and after that only its key and number stay (new series arrive by the
 * hundred thousand, and everything they allocate the young generation copies).
 */
export class RemoteWriteDecoder {
  /** Valid label sets by their bytes as sent (a latin1 string): their numbers. */
  private ids = new Map<string, number>();
  private strings = new Map<string, number>();
  private nextId = 0;
  /** The table was emptied and no batch has told the other side yet. */
  private resetPending = false;
  /** readString()'s strings last read by place in a label set, and their numbers; emptied whenever numbers are taken back. */
  private recentText: string[] = [];
  private recentId: number[] = [];
  private lastText = '';
  /** Each label set's key by number, the number of the set that followed it last, and the last set read. */
  private keyOf: string[] = [];
  /**
   * Where bodies are decompressed: one buffer reused instead of a new, zero-filled one per
   * request (hundreds of KiB each, garbage until the next collection, and once freed often
   * kept by malloc in this thread's arena).
   */
  private scratch: Uint8Array | undefined;
  private next: number[] = [];
  private prevId = -1;
  /** Buffers of earlier batches' ts/values, given back (recycle()) once they were stored. */
  private readonly spare = new BufferPool();

  constructor(
    private readonly maxLabelSets = MAX_LABEL_SETS,
    /** Checked as a new label set is read, before its strings are decoded or numbered. */
    private readonly limits: LabelLimits = METRIC_LABEL_LIMITS,
  ) {}

  /**
   * Takes back the ts/values buffers of a batch this decoder returned, once nothing reads
   * them any more, so the next batches are written into them instead of new ones.
   */
  recycle(buffers: readonly ArrayBuffer[]): void {
    for (const b of buffers) this.spare.give(b);
  }

  /** Throws BadRequestError for a body that can never be accepted (no number is handed out then). */
  decode(body: Uint8Array): DecodedBatch {
    if (this.ids.size >= this.maxLabelSets || this.strings.size >= 2 * this.maxLabelSets) {
      this.ids = new Map();
      this.strings = new Map();
      this.nextId = 0;
      this.resetPending = true;
      this.keyOf = [];
      this.next = [];
      this.forgetRecent();
    }
    const buf = snappyDecodeBody(body, this.scratch);
    // Kept for the next bodies (nothing decoded keeps a view of it: labels become strings,
    // samples are copied into columns), unless it is larger than bodies usually are.
    if (buf.buffer !== this.scratch?.buffer && buf.byteLength <= SCRATCH_MAX_BYTES) this.scratch = buf;
    const p: Pending = { series: [], sampleEnd: [], ts: new Float64Column(this.spare), values: new Float64Column(this.spare), newIds: [], newSizes: [], newLabels: [], newStrings: [], addedKeys: [] };
    const firstId = this.nextId;
    try {
      this.read(buf, p);
    } catch (e) {
      p.ts.discard();
      p.values.discard();
      for (const k of p.addedKeys) this.ids.delete(k);
      for (const str of p.newStrings) this.strings.delete(str);
      this.nextId = firstId;
      // Numbers from firstId on go to other label sets next: their keys must not vouch for them.
      this.keyOf.length = firstId;
      this.forgetRecent();
      throw e;
    }
    const reset = this.resetPending;
    this.resetPending = false;
    return {
      series: Int32Array.from(p.series),
      sampleEnd: Int32Array.from(p.sampleEnd),
      ts: p.ts.done(),
      values: p.values.done(),
      // Typed arrays cross threads as one copy; a number[] is serialized element by element.
      newIds: Int32Array.from(p.newIds),
      newSizes: Int32Array.from(p.newSizes),
      newLabels: Int32Array.from(p.newLabels),
      newStrings: p.newStrings,
      reset,
    };
  }

  private read(buf: Uint8Array, p: Pending): void {
    const r = new ProtoReader(buf);
    const latin1 = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    for (;;) {
      const index = p.series.length;
      try {
        const end = nextTimeSeries(r);
        if (end < 0) break;
        const split = readTimeSeries(r, latin1, end, p.ts, p.values);
        // Senders repeat the same series in the same order request after request (a scrape's
        // order, cut into batches): the label set that followed this one's predecessor last
        // time is tried first, checked byte for byte, which costs a tenth of making the key
        // a string and looking it up.
        const prev = this.prevId;
        const guess = prev >= 0 ? (this.next[prev] ?? -1) : -1;
        let id = guess >= 0 && split === undefined && runIs(buf, runStart, runEnd, this.keyOf[guess]) ? guess : -1;
        if (id < 0) {
          const key = keyText(split, latin1);
          id = this.ids.get(key) ?? -1;
          if (id < 0) {
            id = this.numberLabels(r, index, p);
            this.ids.set(key, id);
            this.keyOf[id] = key;
            p.addedKeys.push(key);
          }
        }
        if (prev >= 0) this.next[prev] = id;
        this.prevId = id;
        p.series.push(id);
        p.sampleEnd.push(p.ts.length);
      } catch (e) {
        if (e instanceof ProtobufError) throw new BadRequestError(`${e.message} (in timeseries ${index})`);
        throw e;
      }
    }
  }

  /** Reads the label fields at labelRanges into string numbers, validating them; returns the set's number. */
  private numberLabels(r: ProtoReader, index: number, p: Pending): number {
    const outer = r.end;
    const after = r.pos;
    const { maxLabels, maxNameLength, maxValueLength } = this.limits;
    if (maxLabels > 0 && nRanges / 2 > maxLabels) {
      throw new BadRequestError(`timeseries ${index}: ${fmt(nRanges / 2)} labels, more than the limit of ${fmt(maxLabels)} (${METRIC_LIMIT_KEYS.count})`);
    }
    let prev: string | undefined;
    let hasName = false;
    for (let i = 0; i < nRanges; i += 2) {
      r.pos = labelRanges[i] as number;
      r.end = labelRanges[i + 1] as number;
      let name = '';
      let value = '';
      let nameId = -1;
      let valueId = -1;
      // Byte lengths are known before a string is decoded: a 10 MB value is refused unread.
      let longValue = 0;
      while (r.pos < r.end) {
        const at = r.pos;
        const k = r.key();
        if (k >>> 3 === 1) {
          r.expect(WireType.LEN, k & 7, at, 'Label.name');
          const len = r.peekLength();
          if (maxNameLength > 0 && len > maxNameLength) {
            throw new BadRequestError(`timeseries ${index}: label name ${i / 2 + 1} is ${fmt(len)} bytes long, longer than the limit of ${fmt(maxNameLength)} (${METRIC_LIMIT_KEYS.name})`);
          }
          nameId = this.readString(r, i, p.newStrings);
          name = this.lastText;
        } else if (k >>> 3 === 2) {
          r.expect(WireType.LEN, k & 7, at, 'Label.value');
          const len = r.peekLength();
          if (maxValueLength > 0 && len > maxValueLength) {
            longValue = len;
            r.pos = r.lengthEnd();
            continue;
          }
          valueId = this.readString(r, i + 1, p.newStrings);
          value = this.lastText;
        } else r.skip(k & 7, at);
      }
      if (longValue > 0) {
        throw new BadRequestError(
          `timeseries ${index}: the value of label "${name.slice(0, 64)}" is ${fmt(longValue)} bytes long, longer than the limit of ${fmt(maxValueLength)} (${METRIC_LIMIT_KEYS.value})`,
        );
      }
      checkLabelName(name, prev, index);
      if (name === '__name__' && value !== '') hasName = true;
      prev = name;
      if (nameId < 0) nameId = this.stringId('', p.newStrings);
      if (valueId < 0) valueId = this.stringId('', p.newStrings);
      p.newLabels.push(nameId, valueId);
    }
    if (!hasName) throw missingName(index);
    r.end = outer;
    r.pos = after;
    const id = this.nextId++;
    p.newIds.push(id);
    p.newSizes.push(nRanges / 2);
    return id;
  }

  /**
   * Reads a string field's payload (the reader is past its key) and returns the string's
   * number; the string is left in lastText. The string last read at the same place in a label
   * set (`slot`: label name or value by position) is reused when the bytes match, which is
   * most names and many values: no string to allocate and no map lookup.
   */
  private readString(r: ProtoReader, slot: number, added: string[]): number {
    const end = r.lengthEnd();
    const start = r.pos;
    r.pos = end;
    const recent = this.recentText[slot];
    if (recent !== undefined && recent.length === end - start) {
      const buf = r.buf;
      let i = 0;
      for (; i < recent.length; i++) {
        const c = buf[start + i] as number;
        if (c >= 0x80 || c !== recent.charCodeAt(i)) break; // ASCII only: then bytes and characters are the same
      }
      if (i === recent.length) {
        this.lastText = recent;
        return this.recentId[slot] as number;
      }
    }
    const text = r.text(start, end);
    const id = this.stringId(text, added);
    this.recentText[slot] = text;
    this.recentId[slot] = id;
    this.lastText = text;
    return id;
  }

  /** Drops what refers to numbers that may be taken back or reused: recent strings and the last set read. */
  private forgetRecent(): void {
    this.recentText = [];
    this.recentId = [];
    this.prevId = -1;
  }

  private stringId(s: string, added: string[]): number {
    let id = this.strings.get(s);
    if (id === undefined) {
      id = this.strings.size;
      this.strings.set(s, id);
      added.push(s);
    }
    return id;
  }

  /** Label sets currently numbered. */
  get size(): number {
    return this.ids.size;
  }
}

import { labelLimitProblem, METRIC_LABEL_LIMITS, METRIC_LIMIT_KEYS, type LabelLimits } from '../model/label-limits.js';
import { ProtobufError, ProtoReader, WireType } from './protobuf.js';
import { snappyDecode, SnappyError } from './snappy.js';
import { BufferPool, Float64Column } from './sample-columns.js';
import { ByteInterner, hashBytes } from './byte-interner.js';

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

/**
 * Bytes of label sets and strings the decoder keeps before it forgets them all, whatever their
 * number (a few very long label sets must not hold the worker's memory either).
 */
export const MAX_TABLE_BYTES = 256 * 1024 * 1024;

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
}

/** `__name__` as UTF-8. */
const NAME_LABEL = Buffer.from('__name__', 'latin1');

/**
 * Remote-write bodies to DecodedBatch. Stateful: a label set is numbered the first time it is
 * seen and only its number is sent after that, so batches must be applied (SeriesTable) in
 * the order they were decoded.
 *
 * A new label set goes straight from its bytes to string numbers, validated as it is read.
 * Label sets and strings are numbered by their bytes as sent (ByteInterner): what the decoder
 * keeps of them is bytes in one buffer, not strings or objects (new series arrive by the
 * hundred thousand, and everything kept on the heap the collector copies and marks again).
 * A string is made only for a string never seen before, to send it.
 */
export class RemoteWriteDecoder {
  /** Valid label sets by their bytes as sent; a set's number is its ByteInterner number. */
  private sets = new ByteInterner();
  /** Label names and values by their bytes; numbered the same way. */
  private strings = new ByteInterner();
  /** The table was emptied and no batch has told the other side yet. */
  private resetPending = false;
  /** The string number last read by place in a label set (label name or value by position); emptied whenever numbers are taken back. */
  private recent: number[] = [];
  /**
   * Where bodies are decompressed: one buffer reused instead of a new, zero-filled one per
   * request (hundreds of KiB each, garbage until the next collection, and once freed often
   * kept by malloc in this thread's arena).
   */
  private scratch: Uint8Array | undefined;
  /** The number of the set that followed each set last, and the last set read. */
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
    if (this.sets.size >= this.maxLabelSets || this.strings.size >= 2 * this.maxLabelSets || this.sets.bytes + this.strings.bytes >= MAX_TABLE_BYTES) {
      this.sets = new ByteInterner();
      this.strings = new ByteInterner();
      this.resetPending = true;
      this.next = [];
      this.forgetRecent();
    }
    const buf = snappyDecodeBody(body, this.scratch);
    // Kept for the next bodies (nothing decoded keeps a view of it: labels become strings,
    // samples are copied into columns), unless it is larger than bodies usually are.
    if (buf.buffer !== this.scratch?.buffer && buf.byteLength <= SCRATCH_MAX_BYTES) this.scratch = buf;
    const p: Pending = { series: [], sampleEnd: [], ts: new Float64Column(this.spare), values: new Float64Column(this.spare), newIds: [], newSizes: [], newLabels: [], newStrings: [] };
    const firstId = this.sets.size;
    const firstString = this.strings.size;
    try {
      this.read(buf, p);
    } catch (e) {
      p.ts.discard();
      p.values.discard();
      // Numbers from here on go to other label sets and strings next.
      this.sets.truncate(firstId);
      this.strings.truncate(firstString);
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
    const sets = this.sets;
    for (;;) {
      const index = p.series.length;
      try {
        const end = nextTimeSeries(r);
        if (end < 0) break;
        const split = readTimeSeries(r, latin1, end, p.ts, p.values);
        // The key: the label fields' bytes, in place when they are one run (the usual case).
        let key: Uint8Array = buf;
        let ks = runStart;
        let ke = runEnd;
        if (split !== undefined) {
          key = Buffer.from(split, 'latin1');
          ks = 0;
          ke = key.length;
        }
        // Senders repeat the same series in the same order request after request (a scrape's
        // order, cut into batches): the label set that followed this one's predecessor last
        // time is tried first, checked byte for byte, which costs less than hashing the key.
        const prev = this.prevId;
        const guess = prev >= 0 ? (this.next[prev] ?? -1) : -1;
        let id = guess >= 0 && guess < sets.size && sets.matches(guess, key, ks, ke) ? guess : -1;
        if (id < 0) {
          const h = hashBytes(key, ks, ke);
          id = sets.find(key, ks, ke, h);
          if (id < 0) {
            this.numberLabels(r, index, p);
            id = sets.add(key, ks, ke, h);
            p.newIds.push(id);
            p.newSizes.push(nRanges / 2);
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

  /** Reads the label fields at labelRanges into string numbers (added to p.newLabels), validating them. */
  private numberLabels(r: ProtoReader, index: number, p: Pending): void {
    const outer = r.end;
    const after = r.pos;
    const buf = r.buf;
    const { maxLabels, maxNameLength, maxValueLength } = this.limits;
    if (maxLabels > 0 && nRanges / 2 > maxLabels) {
      throw new BadRequestError(`timeseries ${index}: ${fmt(nRanges / 2)} labels, more than the limit of ${fmt(maxLabels)} (${METRIC_LIMIT_KEYS.count})`);
    }
    let prevStart = -1;
    let prevEnd = -1;
    let hasName = false;
    for (let i = 0; i < nRanges; i += 2) {
      r.pos = labelRanges[i] as number;
      r.end = labelRanges[i + 1] as number;
      // Bounds of the name and value payloads (absent: empty); the last of a repeated field wins.
      let ns = 0;
      let ne = 0;
      let vs = 0;
      let ve = 0;
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
          ne = r.lengthEnd();
          ns = r.pos;
          r.pos = ne;
        } else if (k >>> 3 === 2) {
          r.expect(WireType.LEN, k & 7, at, 'Label.value');
          const len = r.peekLength();
          const e = r.lengthEnd();
          if (maxValueLength > 0 && len > maxValueLength) longValue = len;
          else ((longValue = 0), (vs = r.pos), (ve = e));
          r.pos = e;
        } else r.skip(k & 7, at);
      }
      const nameId = this.stringNumber(r, ns, ne, i, p);
      if (longValue > 0) {
        throw new BadRequestError(
          `timeseries ${index}: the value of label "${r.text(ns, ne).slice(0, 64)}" is ${fmt(longValue)} bytes long, longer than the limit of ${fmt(maxValueLength)} (${METRIC_LIMIT_KEYS.value})`,
        );
      }
      const valueId = this.stringNumber(r, vs, ve, i + 1, p);
      checkNameBytes(r, ns, ne, prevStart, prevEnd, index);
      if (ve > vs && ne - ns === NAME_LABEL.length && bytesEqual(buf, ns, NAME_LABEL)) hasName = true;
      prevStart = ns;
      prevEnd = ne;
      p.newLabels.push(nameId, valueId);
    }
    if (!hasName) throw missingName(index);
    r.end = outer;
    r.pos = after;
  }

  /**
   * The number of the string in buf[start, end) (a label name or value), numbering it (and
   * decoding it, to send) when it is new. The string read last at the same place in a label
   * set (`slot`: name or value by position) is tried first, which is most names and many
   * values: no hash and no table lookup.
   */
  private stringNumber(r: ProtoReader, start: number, end: number, slot: number, p: Pending): number {
    const buf = r.buf;
    const strings = this.strings;
    const last = this.recent[slot];
    if (last !== undefined && strings.matches(last, buf, start, end)) return last;
    const h = hashBytes(buf, start, end);
    let id = strings.find(buf, start, end, h);
    if (id < 0) {
      p.newStrings.push(r.text(start, end)); // throws for invalid UTF-8: nothing added then
      id = strings.add(buf, start, end, h);
    }
    this.recent[slot] = id;
    return id;
  }

  /** Drops what refers to numbers that may be taken back or reused: recent strings and the last set read. */
  private forgetRecent(): void {
    this.recent = [];
    this.prevId = -1;
  }

  /** Label sets currently numbered. */
  get size(): number {
    return this.sets.size;
  }
}

function bytesEqual(buf: Uint8Array, start: number, what: Uint8Array): boolean {
  for (let i = 0; i < what.length; i++) if (buf[start + i] !== what[i]) return false;
  return true;
}

/**
 * checkLabelName() on the bytes of a label name (buf[ns, ne)) and of the one before it
 * (buf[ps, pe), ps < 0 for the first): ASCII names compare byte by byte exactly as strings
 * do; where they first differ in a non-ASCII byte, they are decoded and compared as strings.
 */
function checkNameBytes(r: ProtoReader, ns: number, ne: number, ps: number, pe: number, index: number): void {
  if (ne === ns) return checkLabelName('', undefined, index);
  if (ps < 0) return;
  const buf = r.buf;
  const n = Math.min(ne - ns, pe - ps);
  let i = 0;
  while (i < n && buf[ns + i] === buf[ps + i]) i++;
  if (i < n && ((buf[ns + i] as number) >= 0x80 || (buf[ps + i] as number) >= 0x80)) return checkLabelName(r.text(ns, ne), r.text(ps, pe), index);
  const order = i < n ? (buf[ns + i] as number) - (buf[ps + i] as number) : ne - ns - (pe - ps);
  if (order <= 0) checkLabelName(r.text(ns, ne), r.text(ps, pe), index); // throws with the message
}

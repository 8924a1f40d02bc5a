import { formatLabels, type Labels } from '../model/labels.js';
import type { Appendable, SeriesRef } from '../storage/appender.js';
import { ProtobufError, ProtoReader, ProtoWriter, WireType } from './protobuf.js';
import { snappyDecode, snappyEncode, SnappyError } from './snappy.js';

/**
 * Prometheus remote-write 1.0 (prometheus.WriteRequest, snappy block compressed) in both
 * directions, and the receiver's semantics from Prometheus's storage/remote/write_handler.go.
 */

export interface ProtoLabel {
  readonly name: string;
  readonly value: string;
}
export interface ProtoSample {
  readonly value: number;
  /** ms since the epoch */
  readonly timestamp: number;
}
export interface TimeSeries {
  readonly labels: readonly ProtoLabel[];
  readonly samples: readonly ProtoSample[];
  /** Native histograms in the series; Vigil does not ingest them (they are counted as rejected). */
  readonly histogramCount?: number;
}
export interface WriteRequest {
  readonly timeseries: readonly TimeSeries[];
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
interface LabelEntry {
  readonly key: string;
  /** The labels as sent; dropped (emptied) once validated in a long-lived cache, where only `labels` is used again. */
  proto: readonly ProtoLabel[];
  /** The store's form; the same object every time, so a store can cache its series lookup on it. */
  readonly labels: Labels;
  /** validateLabels() passed; only validated entries stay cached across requests. */
  validated: boolean;
  /** The store's handle for the series (Appender.appendCached), kept with the cached label set. */
  ref?: SeriesRef;
}
type LabelCache = Map<string, LabelEntry>;

/** A decoded request without per-sample objects: series i owns samples [sampleEnd[i-1], sampleEnd[i]). */
interface FlatRequest {
  readonly series: LabelEntry[];
  readonly sampleEnd: number[];
  readonly histograms: number[];
  readonly ts: number[];
  readonly values: number[];
}

/** Label names repeat across series; one string per distinct name keeps cached label sets small. */
const names = new Map<string, string>();

function decodeLabels(r: ProtoReader, ranges: readonly number[]): ProtoLabel[] {
  const out: ProtoLabel[] = [];
  const outer = r.end;
  for (let i = 0; i < ranges.length; i += 2) {
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
    let interned = names.get(name);
    if (interned === undefined) {
      if (names.size < 10_000) names.set(name, name);
      interned = name;
    }
    out.push({ name: interned, value });
  }
  r.end = outer;
  return out;
}

/** Scratch for one timeseries' label field bounds (payload start, end pairs). */
const labelRanges: number[] = [];

function readTimeSeries(r: ProtoReader, latin1: Buffer, end: number, out: FlatRequest, cache: LabelCache): void {
  const outer = r.end;
  r.end = end;
  labelRanges.length = 0;
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
      labelRanges.push(r.pos, e);
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
      out.ts.push(timestamp);
      out.values.push(value);
    } else if (k >>> 3 === 1 || k >>> 3 === 2) {
      r.expect(WireType.LEN, k & 7, at, k >>> 3 === 1 ? 'TimeSeries.labels' : 'TimeSeries.samples');
    } else {
      if (k >>> 3 === 4) histograms++;
      r.skip(k & 7, at);
    }
  }
  if (keyStart >= 0) key += latin1.toString('latin1', keyStart, keyEnd);
  let entry = cache.get(key);
  if (entry === undefined) {
    const proto = decodeLabels(r, labelRanges);
    entry = { key, proto, labels: fromProtoLabels(proto), validated: false };
    cache.set(key, entry);
  }
  r.pos = end;
  r.end = outer;
  out.series.push(entry);
  out.sampleEnd.push(out.ts.length);
  out.histograms.push(histograms);
}

/** Names sorted, unique and non-empty; __name__ present (remote-write 1.0 requires all of it). */
function validateLabels(ls: readonly ProtoLabel[], index: number): void {
  let prev: string | undefined;
  let hasName = false;
  for (const l of ls) {
    if (l.name === '') throw new BadRequestError(`timeseries ${index}: empty label name`);
    if (prev !== undefined) {
      if (l.name === prev) throw new BadRequestError(`timeseries ${index}: duplicate label name "${l.name}"`);
      if (l.name < prev) throw new BadRequestError(`timeseries ${index}: labels are not sorted by name ("${l.name}" after "${prev}")`);
    }
    if (l.name === '__name__' && l.value !== '') hasName = true;
    prev = l.name;
  }
  if (!hasName) throw new BadRequestError(`timeseries ${index}: missing __name__ label`);
}

/** Caches older than this many label sets are dropped whole (bounds memory under series churn). */
const MAX_CACHED_LABEL_SETS = 1 << 20;

const NO_PROTO: readonly ProtoLabel[] = Object.freeze([]);

/** `keepProto` false: validated entries drop their ProtoLabel list (long-lived caches hold only what ingest needs). */
function decodeFlat(buf: Uint8Array, cache: LabelCache, keepProto: boolean): FlatRequest {
  const r = new ProtoReader(buf);
  const latin1 = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const out: FlatRequest = { series: [], sampleEnd: [], histograms: [], ts: [], values: [] };
  try {
    while (!r.done()) {
      try {
        const at = r.pos;
        const k = r.key();
        if (k !== KEY_TIMESERIES) {
          if (k >>> 3 === 1) r.expect(WireType.LEN, k & 7, at, 'WriteRequest.timeseries');
          r.skip(k & 7, at); // metadata and anything newer
          continue;
        }
        readTimeSeries(r, latin1, r.lengthEnd(), out, cache);
      } catch (e) {
        if (e instanceof ProtobufError) throw new BadRequestError(`${e.message} (in timeseries ${out.series.length})`);
        throw e;
      }
    }
    for (let i = 0; i < out.series.length; i++) {
      const entry = out.series[i] as LabelEntry;
      if (entry.validated) continue;
      validateLabels(entry.proto, i);
      entry.validated = true;
      if (!keepProto) entry.proto = NO_PROTO;
    }
  } catch (e) {
    for (const [key, entry] of cache) if (!entry.validated) cache.delete(key);
    throw e;
  }
  if (cache.size > MAX_CACHED_LABEL_SETS) cache.clear();
  return out;
}

/** Decodes a protobuf (already decompressed) WriteRequest; throws BadRequestError naming the byte offset or timeseries index. */
export function decodeWriteRequestProto(buf: Uint8Array): WriteRequest {
  const flat = decodeFlat(buf, new Map(), true);
  const timeseries: TimeSeries[] = [];
  let from = 0;
  for (let i = 0; i < flat.series.length; i++) {
    const to = flat.sampleEnd[i] as number;
    const samples: ProtoSample[] = [];
    for (let j = from; j < to; j++) samples.push({ value: flat.values[j] as number, timestamp: flat.ts[j] as number });
    from = to;
    const labels = [...(flat.series[i] as LabelEntry).proto];
    const histogramCount = flat.histograms[i] as number;
    timeseries.push(histogramCount > 0 ? { labels, samples, histogramCount } : { labels, samples });
  }
  return { timeseries };
}

function snappyDecodeBody(body: Uint8Array): Uint8Array {
  try {
    return snappyDecode(body);
  } catch (e) {
    if (e instanceof SnappyError) throw new BadRequestError(e.message);
    throw e;
  }
}

/** Snappy block decompression then protobuf decoding of a remote-write 1.0 body. */
export function decodeWriteRequest(body: Uint8Array): WriteRequest {
  return decodeWriteRequestProto(snappyDecodeBody(body));
}

export function encodeWriteRequestProto(req: WriteRequest): Uint8Array {
  const w = new ProtoWriter();
  for (const ts of req.timeseries) {
    const tw = new ProtoWriter();
    for (const l of ts.labels) tw.bytes(1, new ProtoWriter().string(1, l.name).string(2, l.value).finish());
    for (const s of ts.samples) tw.bytes(2, new ProtoWriter().double(1, s.value).int64(2, s.timestamp).finish());
    w.bytes(1, tw.finish());
  }
  return w.finish();
}

/** A remote-write 1.0 body: protobuf, snappy block compressed. */
export function encodeWriteRequest(req: WriteRequest): Uint8Array {
  return snappyEncode(encodeWriteRequestProto(req));
}

/** Labels as remote-write wants them: sorted by name, empty values dropped. */
export function toProtoLabels(labels: Labels): ProtoLabel[] {
  return Object.keys(labels)
    .sort()
    .filter((k) => labels[k] !== '')
    .map((name) => ({ name, value: labels[name] as string }));
}

export function fromProtoLabels(ls: readonly ProtoLabel[]): Labels {
  const out: Record<string, string> = {};
  for (const l of ls) if (l.value !== '') out[l.name] = l.value;
  return out;
}

export interface IngestResult {
  accepted: number;
  /** Refused samples by reason: the store error's `reason`/`code`/name, or `native_histogram_unsupported`. */
  rejected: Record<string, number>;
  firstError?: string;
}

export interface IngestOptions {
  /**
   * Prometheus's remote-write 1.0 receiver: the first refused sample rolls back the whole
   * request. Default false: refused samples are counted and the rest are committed.
   */
  readonly atomic?: boolean;
}

function reasonOf(e: unknown): string {
  const o = e as { reason?: unknown; code?: unknown; name?: unknown } | null;
  for (const v of [o?.reason, o?.code, o?.name]) if (typeof v === 'string' && v !== '') return v;
  return 'error';
}

/** Appends every sample of `req`. A throw from append() is that sample's rejection. Commit errors propagate. */
export async function ingestWriteRequest(appendable: Appendable, req: WriteRequest, opts: IngestOptions = {}): Promise<IngestResult> {
  const app = appendable.appender();
  const result: IngestResult = { accepted: 0, rejected: {} };
  for (const [i, ts] of req.timeseries.entries()) {
    const labels = fromProtoLabels(ts.labels);
    if (ts.histogramCount) {
      result.rejected['native_histogram_unsupported'] = (result.rejected['native_histogram_unsupported'] ?? 0) + ts.histogramCount;
    }
    for (const s of ts.samples) {
      try {
        app.append(labels, s.timestamp, s.value);
        result.accepted++;
      } catch (e) {
        const reason = reasonOf(e);
        result.rejected[reason] = (result.rejected[reason] ?? 0) + 1;
        result.firstError ??= `timeseries ${i} ${formatLabels(labels)} at ${s.timestamp}: ${(e as Error).message}`;
        if (opts.atomic) {
          app.rollback();
          return { accepted: 0, rejected: result.rejected, firstError: result.firstError };
        }
      }
    }
  }
  await app.commit();
  return result;
}

/** Label sets decoded per destination, so repeated series skip UTF-8 decoding and label-set building. */
const labelCaches = new WeakMap<Appendable, LabelCache>();

/**
 * ingestWriteRequest(…, { atomic: true }) on a flat request: the first refused sample rolls
 * everything back and its message is returned; otherwise commits (commit errors propagate).
 */
async function ingestFlatAtomic(appendable: Appendable, req: FlatRequest): Promise<string | undefined> {
  const app = appendable.appender();
  const { series, sampleEnd, ts, values } = req;
  let from = 0;
  const cached = app.appendCached?.bind(app);
  for (let i = 0; i < series.length; i++) {
    const entry = series[i] as LabelEntry;
    const labels = entry.labels;
    const to = sampleEnd[i] as number;
    for (let j = from; j < to; j++) {
      try {
        if (cached) entry.ref = cached(entry.ref, labels, ts[j] as number, values[j] as number);
        else app.append(labels, ts[j] as number, values[j] as number);
      } catch (e) {
        app.rollback();
        return `timeseries ${i} ${formatLabels(labels)} at ${ts[j] as number}: ${(e as Error).message}`;
      }
    }
    from = to;
  }
  await app.commit();
  return undefined;
}

export type RemoteWriteResponse = { status: 204 } | { status: 400 | 415 | 500; message: string };

/**
 * The POST /api/v1/write handler minus HTTP: 415 for an encoding other than snappy or a
 * remote-write 2.0 content type, 400 for an undecodable body or a refused sample (the whole
 * request is rolled back, as Prometheus's 1.0 receiver does, and a 400 tells the sender not
 * to retry), 500 when the commit fails (the sender retries), else 204.
 */
export async function handleRemoteWrite(
  appendable: Appendable,
  body: Uint8Array,
  contentEncoding: string | undefined,
  contentType: string | undefined,
): Promise<RemoteWriteResponse> {
  const enc = (contentEncoding ?? '').trim().toLowerCase();
  if (enc !== '' && enc !== 'snappy') {
    return { status: 415, message: `${contentEncoding} encoding (compression) is not accepted by this server; only snappy is acceptable` };
  }
  const proto = /;\s*proto=([^;\s]+)/i.exec(contentType ?? '')?.[1];
  if (proto !== undefined && proto !== 'prometheus.WriteRequest') {
    return { status: 415, message: `${proto} protobuf message is not accepted by this server; accepted prometheus.WriteRequest` };
  }
  let flat: FlatRequest;
  try {
    let cache = labelCaches.get(appendable);
    if (cache === undefined) {
      cache = new Map();
      labelCaches.set(appendable, cache);
    }
    flat = decodeFlat(snappyDecodeBody(body), cache, false);
  } catch (e) {
    if (e instanceof BadRequestError) return { status: 400, message: e.message };
    throw e;
  }
  try {
    const firstError = await ingestFlatAtomic(appendable, flat);
    if (firstError !== undefined) return { status: 400, message: firstError };
  } catch (e) {
    return { status: 500, message: `storing the samples failed: ${(e as Error).message}` };
  }
  return { status: 204 };
}

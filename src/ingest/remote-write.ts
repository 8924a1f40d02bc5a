import { formatLabels, type Labels } from '../model/labels.js';
import type { Appendable } from '../storage/appender.js';
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
// Label{name=1, value=2}; Sample{value=1 double, timestamp=2 int64}.
function readLabel(r: ProtoReader, end: number): ProtoLabel {
  const sub = new ProtoReader(r.buf, r.pos, end);
  let name = '';
  let value = '';
  while (!sub.done()) {
    const t = sub.tag();
    if (t.field === 1) (sub.expect(WireType.LEN, t.wire, t.at, 'Label.name'), (name = sub.string()));
    else if (t.field === 2) (sub.expect(WireType.LEN, t.wire, t.at, 'Label.value'), (value = sub.string()));
    else sub.skip(t.wire, t.at);
  }
  return { name, value };
}

function readSample(r: ProtoReader, end: number): ProtoSample {
  const sub = new ProtoReader(r.buf, r.pos, end);
  let value = 0;
  let timestamp = 0;
  while (!sub.done()) {
    const t = sub.tag();
    if (t.field === 1) (sub.expect(WireType.I64, t.wire, t.at, 'Sample.value'), (value = sub.double()));
    else if (t.field === 2) (sub.expect(WireType.VARINT, t.wire, t.at, 'Sample.timestamp'), (timestamp = sub.int64()));
    else sub.skip(t.wire, t.at);
  }
  return { value, timestamp };
}

function readTimeSeries(buf: Uint8Array, start: number, end: number): TimeSeries {
  const r = new ProtoReader(buf, start, end);
  const labels: ProtoLabel[] = [];
  const samples: ProtoSample[] = [];
  let histogramCount = 0;
  while (!r.done()) {
    const t = r.tag();
    if (t.field === 1 || t.field === 2) {
      r.expect(WireType.LEN, t.wire, t.at, t.field === 1 ? 'TimeSeries.labels' : 'TimeSeries.samples');
      const { start: s, end: e } = r.lengthDelimited();
      const sub = new ProtoReader(buf, s, e);
      if (t.field === 1) labels.push(readLabel(sub, e));
      else samples.push(readSample(sub, e));
    } else {
      if (t.field === 4) histogramCount++;
      r.skip(t.wire, t.at);
    }
  }
  return histogramCount > 0 ? { labels, samples, histogramCount } : { labels, samples };
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

/** Decodes a protobuf (already decompressed) WriteRequest; throws BadRequestError naming the byte offset or timeseries index. */
export function decodeWriteRequestProto(buf: Uint8Array): WriteRequest {
  const r = new ProtoReader(buf);
  const timeseries: TimeSeries[] = [];
  while (!r.done()) {
    let t: { field: number; wire: number; at: number };
    try {
      t = r.tag();
      if (t.field !== 1) {
        r.skip(t.wire, t.at); // metadata and anything newer
        continue;
      }
      r.expect(WireType.LEN, t.wire, t.at, 'WriteRequest.timeseries');
      const { start, end } = r.lengthDelimited();
      timeseries.push(readTimeSeries(buf, start, end));
    } catch (e) {
      if (e instanceof ProtobufError) throw new BadRequestError(`${e.message} (in timeseries ${timeseries.length})`);
      throw e;
    }
  }
  timeseries.forEach((ts, i) => validateLabels(ts.labels, i));
  return { timeseries };
}

/** Snappy block decompression then protobuf decoding of a remote-write 1.0 body. */
export function decodeWriteRequest(body: Uint8Array): WriteRequest {
  let raw: Uint8Array;
  try {
    raw = snappyDecode(body);
  } catch (e) {
    if (e instanceof SnappyError) throw new BadRequestError(e.message);
    throw e;
  }
  return decodeWriteRequestProto(raw);
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
  let req: WriteRequest;
  try {
    req = decodeWriteRequest(body);
  } catch (e) {
    if (e instanceof BadRequestError) return { status: 400, message: e.message };
    throw e;
  }
  try {
    const r = await ingestWriteRequest(appendable, req, { atomic: true });
    if (r.firstError !== undefined) return { status: 400, message: r.firstError };
  } catch (e) {
    return { status: 500, message: `storing the samples failed: ${(e as Error).message}` };
  }
  return { status: 204 };
}

import { briefLabels } from '../model/label-limits.js';
import type { Labels } from '../model/labels.js';
import type { Appendable, SeriesRef } from '../storage/appender.js';
import { ProtoWriter } from './protobuf.js';
import {
  BadRequestError,
  decodeFlat,
  newLabelCache,
  RemoteWriteDecoder,
  snappyDecodeBody,
  type DecodedBatch,
  type LabelEntry,
  type ProtoLabel,
} from './remote-write-decode.js';
import { snappyEncode } from './snappy.js';

export { BadRequestError, type ProtoLabel } from './remote-write-decode.js';

/**
 * Prometheus remote-write 1.0 (prometheus.WriteRequest, snappy block compressed) in both
 * directions, and the receiver's semantics from Prometheus's storage/remote/write_handler.go.
 */

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

/** Decodes a protobuf (already decompressed) WriteRequest; throws BadRequestError naming the byte offset or timeseries index. */
export function decodeWriteRequestProto(buf: Uint8Array): WriteRequest {
  const flat = decodeFlat(buf, newLabelCache());
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
        result.firstError ??= `timeseries ${i} ${briefLabels(labels)} at ${s.timestamp}: ${(e as Error).message}`;
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

/**
 * A batch's label sets, as SeriesTable.apply hands them out: `labels[i]` is series i's label set
 * (shared by every batch that sends it), `refs` the store's handles by label set number
 * (Appender.appendCached). No object per series: at 100k new series that was 100k more
 * objects for the young generation to copy.
 */
export interface AppliedBatch {
  readonly labels: readonly Labels[];
  /** The table's handles as they were when the batch was applied (a clear() starts a new array). */
  readonly refs: Array<SeriesRef | undefined>;
}

/**
 * The receiving side of a RemoteWriteDecoder's numbering: label set number → label set and
 * store handle. Batches must be applied in the order the decoder produced them.
 */
export class SeriesTable {
  private sets: Labels[] = [];
  private refs: Array<SeriesRef | undefined> = [];
  /** The decoder's strings by number: every label set shares one copy of each name and value. */
  private strings: string[] = [];

  /** Takes in the batch's new label sets and returns its series' label sets, in request order. */
  apply(b: DecodedBatch): AppliedBatch {
    if (b.reset) this.clear();
    const strings = this.strings;
    // Indexed loops here and in the store's per-series paths: a for-of over 100k+ items left an
    // iterator result object per item behind (tens of MB per request) before it was optimized.
    const added = b.newStrings;
    for (let k = 0; k < added.length; k++) strings.push(added[k] as string);
    let at = 0;
    for (let k = 0; k < b.newIds.length; k++) {
      const size = b.newSizes[k] as number;
      const labels: Record<string, string> = {};
      for (let j = 0; j < size; j++, at += 2) {
        const value = strings[b.newLabels[at + 1] as number];
        const name = strings[b.newLabels[at] as number];
        if (value === undefined || name === undefined) throw new Error('remote-write: a label refers to a string that was never sent (decoder and table out of step)');
        if (value !== '') labels[name] = value;
      }
      const id = b.newIds[k] as number;
      this.sets[id] = labels;
      this.refs[id] = undefined;
    }
    const out: Labels[] = new Array(b.series.length);
    for (let i = 0; i < b.series.length; i++) {
      const set = this.sets[b.series[i] as number];
      if (set === undefined) throw new Error(`remote-write: label set ${b.series[i]} was never sent (decoder and table out of step)`);
      out[i] = set;
    }
    return { labels: out, refs: this.refs };
  }

  /** Forgets every label set and string (the decoder was replaced, or restarted its numbering). */
  clear(): void {
    this.sets = [];
    this.refs = [];
    this.strings = [];
  }
}

/**
 * Appends a decoded request atomically, as Prometheus's remote-write 1.0 receiver does: the
 * first refused sample rolls everything back and its message is returned; otherwise commits
 * (commit errors propagate).
 */
export async function ingestDecoded(appendable: Appendable, applied: AppliedBatch, b: DecodedBatch): Promise<string | undefined> {
  const app = appendable.appender();
  const { sampleEnd, ts, values, series } = b;
  const { labels: sets, refs } = applied;
  let from = 0;
  const cached = app.appendCached?.bind(app);
  for (let i = 0; i < sets.length; i++) {
    const labels = sets[i] as Labels;
    const id = series[i] as number;
    const to = sampleEnd[i] as number;
    for (let j = from; j < to; j++) {
      try {
        if (cached) refs[id] = cached(refs[id], labels, ts[j] as number, values[j] as number);
        else app.append(labels, ts[j] as number, values[j] as number);
      } catch (e) {
        app.rollback();
        return `timeseries ${i} ${briefLabels(labels)} at ${ts[j] as number}: ${(e as Error).message}`;
      }
    }
    from = to;
  }
  await app.commit();
  return undefined;
}

export type RemoteWriteResponse = { status: 204 } | { status: 400 | 415 | 500; message: string };

/** 415 for an encoding other than snappy or a remote-write 2.0 content type; undefined when acceptable. */
export function checkRemoteWriteContent(contentEncoding: string | undefined, contentType: string | undefined): RemoteWriteResponse | undefined {
  const enc = (contentEncoding ?? '').trim().toLowerCase();
  if (enc !== '' && enc !== 'snappy') {
    return { status: 415, message: `${contentEncoding} encoding (compression) is not accepted by this server; only snappy is acceptable` };
  }
  const proto = /;\s*proto=([^;\s]+)/i.exec(contentType ?? '')?.[1];
  if (proto !== undefined && proto !== 'prometheus.WriteRequest') {
    return { status: 415, message: `${proto} protobuf message is not accepted by this server; accepted prometheus.WriteRequest` };
  }
  return undefined;
}

/** Stores a decoded request: 400 when a sample is refused (rolled back), 500 when the commit fails, else 204. */
export async function storeDecoded(appendable: Appendable, applied: AppliedBatch, b: DecodedBatch): Promise<RemoteWriteResponse> {
  try {
    const firstError = await ingestDecoded(appendable, applied, b);
    if (firstError !== undefined) return { status: 400, message: firstError };
  } catch (e) {
    return { status: 500, message: `storing the samples failed: ${(e as Error).message}` };
  }
  return { status: 204 };
}

/** Decoder and table per destination, so repeated series skip decoding their labels and looking up their series. */
const inThread = new WeakMap<Appendable, { decoder: RemoteWriteDecoder; table: SeriesTable }>();

/**
 * The POST /api/v1/write handler minus HTTP, decoding on this thread (RemoteWriteReceiver can
 * decode in a worker): 415 for an encoding other than snappy or a remote-write 2.0 content
 * type, 400 for an undecodable body or a refused sample (the whole request is rolled back, as
 * Prometheus's 1.0 receiver does, and a 400 tells the sender not to retry), 500 when the
 * commit fails (the sender retries), else 204.
 */
export async function handleRemoteWrite(
  appendable: Appendable,
  body: Uint8Array,
  contentEncoding: string | undefined,
  contentType: string | undefined,
): Promise<RemoteWriteResponse> {
  const bad = checkRemoteWriteContent(contentEncoding, contentType);
  if (bad) return bad;
  let state = inThread.get(appendable);
  if (state === undefined) {
    state = { decoder: new RemoteWriteDecoder(), table: new SeriesTable() };
    inThread.set(appendable, state);
  }
  let batch: DecodedBatch;
  try {
    batch = state.decoder.decode(body);
  } catch (e) {
    if (e instanceof BadRequestError) return { status: 400, message: e.message };
    throw e;
  }
  return storeDecoded(appendable, state.table.apply(batch), batch);
}

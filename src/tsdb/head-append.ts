import { briefLabels } from '../model/label-limits.js';
import type { Labels } from '../model/labels.js';
import type { Appender, SeriesRef } from '../storage/appender.js';
import { ByteWriter, floatBits } from './bytes.js';
import { StorageError, type RejectReason } from './errors.js';
import { checkSample, MemSeries, type Head } from './head.js';
import { encodeSeries, frame, frameWith, RecordType, SamplesEncoder, seriesRecordSize } from './wal-records.js';
import type { WalWriter } from './wal.js';

/** Counters the appender updates; owned by Tsdb and reported by stats(). */
export interface AppendCounters {
  samplesAppended: number;
  rejected: Record<RejectReason, number>;
}

export interface CommitResult {
  /** Samples now in the head and the WAL. */
  readonly appended: number;
  /**
   * Samples refused at commit because a concurrent commit got there first (e.g. a newer sample
   * for the same series); append() already threw for everything it could see. Also counted in stats().
   */
  readonly rejected: Readonly<Partial<Record<RejectReason, number>>>;
}

const bits = new Uint32Array(2);
let nextAppenderId = 1;
/**
 * Commit's record buffers, reused: the WAL takes the bytes synchronously, and growing fresh
 * buffers from a few hundred bytes on every commit cost as much as encoding the records.
 */
const recordOut = new ByteWriter(64 * 1024);
const recordBody = new ByteWriter(64 * 1024);
const sampleRecords = new SamplesEncoder();
/** Record buffers grown past this by a burst (a 240k-series request needs ~50 MB) are let go after its commit. */
const KEEP_RECORD_BYTES = 1 << 20;

/**
 * Buffers samples until commit(). append() validates against the head and this batch and throws
 * StorageError at once for a sample that can never be stored. commit() writes the batch to the
 * WAL, applies it to the head and resolves once the WAL is fsynced (or, in the
 * Tsdb's interval sync mode, once it is written).
 */
export class HeadAppender implements Appender {
  private series: MemSeries[] = [];
  private ts: number[] = [];
  private words = new Uint32Array(512);
  /** Index of a series' newest pending sample, for series whose MemSeries.batch slot another appender holds. */
  private lastIdx = new Map<MemSeries, number>();
  private readonly id = nextAppenderId++;
  private done = false;
  /** What the last commit() did, set before it resolves. */
  result: CommitResult | undefined;

  constructor(
    private readonly head: Head,
    private readonly wal: () => WalWriter,
    private readonly counters: AppendCounters,
    /**
     * Samples later than this are refused as too_far_in_future (the clock when the appender
     * was made plus the creation grace period; Infinity: no bound).
     */
    private readonly maxTime: number,
    /** Replaces waiting for fdatasync (the Tsdb's interval sync mode); default: wait. */
    private readonly afterWrite?: () => Promise<void>,
  ) {}

  append(labels: Labels, t: number, v: number): void {
    this.start(labels, t);
    let s: MemSeries;
    try {
      s = this.head.getOrCreate(labels);
    } catch (e) {
      if (e instanceof StorageError) this.counters.rejected[e.reason]++;
      throw e;
    }
    this.add(s, t, v);
  }

  /** Appender.appendCached: `ref` is a MemSeries this head returned before (else looked up). */
  appendCached(ref: SeriesRef | undefined, labels: Labels, t: number, v: number): SeriesRef {
    this.start(labels, t);
    let s: MemSeries;
    if (ref instanceof MemSeries && !ref.deleted && ref.labels === labels) s = ref;
    else {
      try {
        s = this.head.lookupOrCreate(labels);
      } catch (e) {
        if (e instanceof StorageError) this.counters.rejected[e.reason]++;
        throw e;
      }
    }
    this.add(s, t, v);
    return s;
  }

  private start(labels: Labels, t: number): void {
    if (this.done) throw new Error('appender: append after commit or rollback');
    if (!Number.isSafeInteger(t)) this.reject('invalid', `timestamp ${t} is not an integer number of milliseconds`);
    if (t > this.maxTime) {
      this.reject(
        'too_far_in_future',
        `sample for ${briefLabels(labels)} at t=${t} (${new Date(t).toISOString()}) is too far in the future: ` +
          `the latest timestamp accepted now is ${new Date(this.maxTime).toISOString()} (the server's clock plus metrics.creation_grace_period)`,
      );
    }
  }

  private add(s: MemSeries, t: number, v: number): void {
    floatBits(v, bits);
    const hi = bits[0] as number;
    const lo = bits[1] as number;
    const own = s.batch;
    const p = own === this.id ? s.batchIdx : this.lastIdx.size > 0 ? this.lastIdx.get(s) : undefined;
    const check =
      p === undefined
        ? this.head.check(s, t, hi, lo)
        : checkSample(t, hi, lo, this.ts[p] as number, this.words[2 * p] as number, this.words[2 * p + 1] as number, this.head.minValidTime);
    if (check === 'skip') return;
    if (check !== 'ok') this.reject(check, `${check.replace(/_/g, ' ')} sample for ${briefLabels(s.labels)} at t=${t}`);
    const i = this.ts.length;
    if (2 * i + 2 > this.words.length) {
      const next = new Uint32Array(this.words.length * 2);
      next.set(this.words);
      this.words = next;
    }
    this.series.push(s);
    this.ts.push(t);
    this.words[2 * i] = hi;
    this.words[2 * i + 1] = lo;
    if (own === 0 || own === this.id) {
      s.batch = this.id;
      s.batchIdx = i;
    } else this.lastIdx.set(s, i);
  }

  private reject(reason: RejectReason, message: string): never {
    this.counters.rejected[reason]++;
    throw new StorageError(reason, message);
  }

  async commit(): Promise<void> {
    if (this.done) throw new Error('appender: commit after commit or rollback');
    this.done = true;
    const n = this.ts.length;
    if (n === 0) {
      this.result = { appended: 0, rejected: {} };
      return;
    }
    const head = this.head;
    const rejected: Partial<Record<RejectReason, number>> = {};
    const accept = new Uint8Array(n);
    const newSeries: MemSeries[] = [];
    const samples = sampleRecords;
    samples.reset();
    // Validate and encode synchronously: nothing else can touch the head until the WAL write.
    for (let i = 0; i < n; i++) {
      let s = this.series[i] as MemSeries;
      if (s.deleted) {
        s = head.getOrCreate(s.labels);
        this.series[i] = s;
      }
      const t = this.ts[i] as number;
      const hi = this.words[2 * i] as number;
      const lo = this.words[2 * i + 1] as number;
      const c = head.check(s, t, hi, lo);
      if (c === 'skip') continue;
      if (c !== 'ok') {
        rejected[c] = (rejected[c] ?? 0) + 1;
        this.counters.rejected[c]++;
        continue;
      }
      if (!s.logged) {
        s.logged = true;
        newSeries.push(s);
      }
      accept[i] = 1;
      samples.add(s.ref, t, hi, lo);
    }
    const out = recordOut;
    const body = recordBody;
    out.reset();
    body.reset();
    if (newSeries.length > 0) {
      // Straight into the record buffer, grown once: a burst of new series is tens of MB of
      // records, and each doubling and copy was external memory V8 answered with collections.
      out.reserve(seriesRecordSize(newSeries));
      frameWith(RecordType.Series, out, (w) => encodeSeries(newSeries, w));
    }
    if (samples.count > 0) {
      samples.encode(body);
      frame(RecordType.Samples, body.result(), out);
    }
    const wal = this.wal();
    const appended = samples.count;
    try {
      if (out.length > 0) wal.write(out.result());
    } catch (e) {
      for (const s of newSeries) s.logged = false;
      this.clear();
      throw e;
    } finally {
      // write() took the bytes synchronously.
      out.release(KEEP_RECORD_BYTES);
      body.release(KEEP_RECORD_BYTES);
      samples.release(KEEP_RECORD_BYTES);
    }
    for (let i = 0; i < n; i++) {
      if (accept[i] === 1) head.append(this.series[i] as MemSeries, this.ts[i] as number, this.words[2 * i] as number, this.words[2 * i + 1] as number);
    }
    this.counters.samplesAppended += appended;
    this.clear();
    this.result = { appended, rejected };
    await (this.afterWrite ? this.afterWrite() : wal.sync());
  }

  rollback(): void {
    this.done = true;
    this.clear();
  }

  private clear(): void {
    const series = this.series;
    for (let i = 0; i < series.length; i++) {
      const s = series[i] as MemSeries;
      if (s.batch === this.id) s.batch = 0;
    }
    this.series = [];
    this.ts = [];
    this.lastIdx.clear();
  }
}

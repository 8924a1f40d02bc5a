import type { Worker } from 'node:worker_threads';
import { systemClock, type Clock, type TimerHandle } from '../model/clock.js';
import type { LabelLimits } from '../model/label-limits.js';
import { startWorker } from '../model/worker.js';
import type { Appendable } from '../storage/appender.js';
import { BadRequestError, RemoteWriteDecoder, type DecodedBatch } from './remote-write-decode.js';
import { checkRemoteWriteContent, SeriesTable, storeDecoded, type RemoteWriteResponse, type AppliedBatch } from './remote-write.js';

export interface RemoteWriteReceiverOptions {
  /** Decode (snappy, protobuf, label sets) in a worker thread. Default true. */
  readonly thread?: boolean;
  /** The worker died or cannot start (the receiver carries on). */
  readonly onError?: (err: Error) => void;
  /** Label sets the decoder numbers before it starts over (tests make it small). */
  readonly maxLabelSets?: number;
  /** Label name/value lengths and count a new series may have (default: Mimir's); longer is a 400. */
  readonly labelLimits?: LabelLimits;
  /**
   * Milliseconds without a request after which the worker is stopped, giving its V8 isolate's
   * memory (which grows with big bodies and never shrinks while idle) back; the next request
   * starts a new one. Default IDLE_WORKER_STOP_MS; 0 keeps the worker running.
   */
  readonly idleStopMs?: number;
  /** Drives the idle timer (tests inject a FakeClock). Default systemClock. */
  readonly clock?: Clock;
}

/** How long the decoder worker may sit without a request before it is stopped (30 s). */
export const IDLE_WORKER_STOP_MS = 30_000;

type Decoded = { applied: AppliedBatch; batch: DecodedBatch } | { bad: string };

interface Pending {
  resolve(d: Decoded): void;
  reject(e: Error): void;
}

type Reply = { id: number; batch: DecodedBatch } | { id: number; bad: string } | { id: number; error: string };

/**
 * POST /api/v1/write for one destination, with decoding in a worker thread so it overlaps
 * the store's work on this one: the worker turns each body into numbers (label sets it has
 * seen before travel as their number), this thread appends and commits. The responses are
 * handleRemoteWrite's. If the worker dies, requests in flight answer 500 (nothing of them was
 * stored, so the sender's retry is safe) and the next request starts a new worker; after two
 * workers in a row die before answering, decoding moves to this thread. The first worker
 * starts with the first request, and a worker that has had no request for `idleStopMs` is
 * stopped (its isolate's memory goes back to the system); the next request starts a new one.
 * A stopping worker is detached first, so nothing is ever sent to it: a request arriving while
 * it terminates is decoded by a new worker.
 */
export class RemoteWriteReceiver {
  private worker: Worker | undefined;
  private inline: RemoteWriteDecoder | undefined;
  private readonly table = new SeriesTable();
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private answered = false;
  private failedStarts = 0;
  private closed = false;
  /** handle() calls not yet answered (the idle timer runs only while this is 0). */
  private active = 0;
  private idleTimer: TimerHandle | undefined;
  /** Workers stopped for idleness that have not exited yet (close() waits for them). */
  private readonly stopping = new Set<Promise<number>>();
  private readonly clock: Clock;
  private readonly idleStopMs: number;

  constructor(
    private readonly appendable: Appendable,
    private readonly opts: RemoteWriteReceiverOptions = {},
  ) {
    // The worker starts with the first request: a server that receives no remote-write
    // does not pay for a second V8 isolate (~7 MiB resident).
    if (opts.thread === false) this.inline = new RemoteWriteDecoder(opts.maxLabelSets, opts.labelLimits);
    this.clock = opts.clock ?? systemClock;
    this.idleStopMs = opts.idleStopMs ?? IDLE_WORKER_STOP_MS;
  }

  /** Whether decoding runs in a worker thread. */
  get threaded(): boolean {
    return this.inline === undefined;
  }

  /**
   * `owned`: the caller gives `body` up (an HTTP request's own buffer): when it is a whole
   * ArrayBuffer, that buffer moves to the worker instead of a copy, so no dead copy of every
   * body waits for this thread's next full garbage collection; `body` is detached after.
   */
  async handle(body: Uint8Array, contentEncoding: string | undefined, contentType: string | undefined, owned = false): Promise<RemoteWriteResponse> {
    const bad = checkRemoteWriteContent(contentEncoding, contentType);
    if (bad) return bad;
    this.active++;
    if (this.idleTimer) {
      this.clock.clearTimeout(this.idleTimer);
      this.idleTimer = undefined;
    }
    try {
      let d: Decoded;
      try {
        d = await this.decode(body, owned);
      } catch (e) {
        return { status: 500, message: `decoding the request failed: ${(e as Error).message}` };
      }
      if ('bad' in d) return { status: 400, message: d.bad };
      const res = await storeDecoded(this.appendable, d.applied, d.batch);
      this.recycle(d.batch);
      return res;
    } finally {
      if (--this.active === 0) this.armIdleTimer();
    }
  }

  private armIdleTimer(): void {
    if (this.idleStopMs <= 0 || !this.worker || this.closed || this.idleTimer) return;
    this.idleTimer = this.clock.setTimeout(() => {
      this.idleTimer = undefined;
      this.stopIdle();
    }, this.idleStopMs);
  }

  /**
   * Stops the idle worker. It is detached before it is told to terminate, so a request that
   * arrives meanwhile starts (and is answered by) a new worker and never waits on this one;
   * its exit is not a failure. Only when nothing is in flight: the timer is cleared by every
   * request, this check is the belt to those braces.
   */
  private stopIdle(): void {
    const w = this.worker;
    if (!w || this.active > 0 || this.pending.size > 0 || this.closed) return;
    this.worker = undefined;
    const done = w.terminate().catch(() => 0);
    this.stopping.add(done);
    void done.finally(() => this.stopping.delete(done));
  }

  /**
   * Gives a stored batch's sample buffers back to the decoder (storeDecoded reads them before
   * it commits and keeps nothing), which writes the next batches into them: no new ArrayBuffers
   * per request on either thread.
   */
  private recycle(b: DecodedBatch): void {
    const buffers = [b.ts.buffer, b.values.buffer] as ArrayBuffer[];
    if (this.inline) this.inline.recycle(buffers);
    else this.worker?.postMessage({ recycle: buffers }, buffers);
  }

  private decode(body: Uint8Array, owned: boolean): Promise<Decoded> {
    if (this.closed) return Promise.reject(new Error('remote-write receiver is closed'));
    if (this.inline) {
      try {
        const batch = this.inline.decode(body);
        return Promise.resolve({ applied: this.table.apply(batch), batch });
      } catch (e) {
        if (e instanceof BadRequestError) return Promise.resolve({ bad: e.message });
        return Promise.reject(e as Error);
      }
    }
    const w = this.worker ?? this.spawn();
    const id = this.nextId++;
    // Referenced only while a request waits, so an idle worker never keeps the process alive.
    if (this.pending.size === 0) w.ref();
    // A buffer of our own to transfer: the body's when the caller gives it up and it is a whole
    // ArrayBuffer; else a compact copy (`body` may be a view into a larger, pooled buffer).
    const whole = owned && body.byteOffset === 0 && body.buffer instanceof ArrayBuffer && body.byteLength === body.buffer.byteLength;
    const moved = whole ? body : new Uint8Array(body);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      w.postMessage({ id, body: moved }, [moved.buffer as ArrayBuffer]);
    });
  }

  private spawn(): Worker {
    const w = startWorker(import.meta.url, 'remote-write-worker-main', { workerData: { maxLabelSets: this.opts.maxLabelSets, labelLimits: this.opts.labelLimits } });
    // A new worker numbers label sets from 0.
    this.table.clear();
    this.answered = false;
    w.unref();
    w.on('message', (m: Reply) => this.onReply(w, m));
    w.on('error', (e) => this.died(w, e));
    w.on('exit', (code) => this.died(w, new Error(`exited with code ${code}`)));
    this.worker = w;
    return w;
  }

  private onReply(w: Worker, m: Reply): void {
    this.answered = true;
    this.failedStarts = 0;
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (this.pending.size === 0) w.unref();
    if ('error' in m) return p.reject(new Error(`remote-write decoder: ${m.error}`));
    if ('bad' in m) return p.resolve({ bad: m.bad });
    // Applied here, in arrival order, before any later reply can renumber label sets.
    let applied: AppliedBatch;
    try {
      applied = this.table.apply(m.batch);
    } catch (e) {
      return p.reject(e as Error);
    }
    p.resolve({ applied, batch: m.batch });
  }

  private died(w: Worker, e: Error): void {
    if (this.worker !== w) return;
    this.worker = undefined;
    if (this.closed) return;
    const err = new Error(`remote-write decoder thread failed: ${e.message}`);
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    if (!this.answered && ++this.failedStarts >= 2) {
      this.table.clear();
      this.inline = new RemoteWriteDecoder(this.opts.maxLabelSets, this.opts.labelLimits);
      this.opts.onError?.(new Error(`remote-write decoder thread cannot start (${e.message}); decoding continues on the main thread`));
      return;
    }
    this.opts.onError?.(err);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.idleTimer) this.clock.clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    const w = this.worker;
    this.worker = undefined;
    for (const p of this.pending.values()) p.reject(new Error('remote-write receiver is closed'));
    this.pending.clear();
    if (w) await w.terminate();
    await Promise.all([...this.stopping]);
  }
}

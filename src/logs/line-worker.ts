import type { Worker } from 'node:worker_threads';
import { startWorker } from '../model/worker.js';
import type { ResourceLimits } from 'node:worker_threads';
import { LineProcessor } from './line-processor.js';
import type { LineProcessorOptions, ProcessedBatch, ServicePattern } from './line-processor.js';
import type { MinerSnapshot } from './mining/index.js';
import { Redactor } from './redact.js';
import type { RedactorOptions } from './redact.js';
import type { ParserSpec } from './parse/parser.js';
import { packInputs, runOp, unpackBatch } from './line-worker-protocol.js';
import type { PackedBatch, WorkerOp, WorkerReply } from './line-worker-protocol.js';
import type { LogInput } from './types.js';

/** Parse, redact and mine, in this thread or another; the same results either way. */
export interface AsyncLineProcessor {
  /** Whether the work runs in a worker thread. */
  readonly threaded: boolean;
  process(inputs: readonly LogInput[]): Promise<ProcessedBatch>;
  patterns(service?: string): Promise<ServicePattern[]>;
  snapshot(): Promise<Record<string, MinerSnapshot>>;
  restore(all: Readonly<Record<string, unknown>>): Promise<void>;
  close(): Promise<void>;
}

export class InlineLineProcessor implements AsyncLineProcessor {
  readonly threaded = false;
  private readonly p: LineProcessor;
  constructor(opts: LineProcessorOptions) {
    this.p = new LineProcessor(opts);
  }
  async process(inputs: readonly LogInput[]): Promise<ProcessedBatch> {
    return this.p.process(inputs);
  }
  async patterns(service?: string): Promise<ServicePattern[]> {
    return this.p.patterns(service);
  }
  async snapshot(): Promise<Record<string, MinerSnapshot>> {
    return this.p.snapshot();
  }
  async restore(all: Readonly<Record<string, unknown>>): Promise<void> {
    this.p.restore(all);
  }
  async close(): Promise<void> {}
}

export class LineWorkerError extends Error {
  override name = 'LineWorkerError';
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

/**
 * Runs a LineProcessor in a worker thread, so parsing, redaction and mining overlap the
 * store's work on the main thread. Requests are answered in order. If the worker dies,
 * what was in flight is rejected (those batches were not stored, so a shipper's retry is
 * safe) and the next request starts a fresh worker: mined patterns since the last
 * snapshot are lost, their ids are not (ids derive from templates).
 */
export class WorkerLineProcessor implements AsyncLineProcessor {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  private readonly data: LineProcessorOptions;
  private readonly limits: ResourceLimits | undefined;
  /** The current worker has answered at least once (it started). */
  private answered = false;
  /** Workers in a row that died before answering anything. */
  private failedStarts = 0;
  /** Set when workers cannot start: the work then runs on this thread. */
  private inline: LineProcessor | undefined;

  /**
   * Only plain data crosses to the worker: a parser spec (not a function), a Redactor or its
   * options. A bad parser spec or redaction rule throws here, in the caller's thread.
   */
  constructor(
    opts: { parser?: ParserSpec; redactor?: Redactor | RedactorOptions; mining?: boolean; maxMiners?: number; resourceLimits?: ResourceLimits },
    private readonly onError: (err: Error) => void = () => undefined,
  ) {
    const { resourceLimits, ...rest } = opts;
    const redactor = rest.redactor instanceof Redactor ? rest.redactor.options : rest.redactor;
    this.data = { ...rest, ...(redactor !== undefined ? { redactor } : {}) };
    this.limits = resourceLimits;
    new LineProcessor(this.data); // validates the options here rather than in the worker
    // The worker starts with the first batch: a server that receives no logs never pays for its isolate (~8 MiB resident).
  }

  /** False once workers failed to start twice in a row and the work moved to this thread. */
  get threaded(): boolean {
    return this.inline === undefined;
  }

  /** No worker has been started, so there are no patterns anywhere yet. */
  private get pristine(): boolean {
    return !this.spawned && this.inline === undefined;
  }
  private spawned = false;

  private spawn(): Worker {
    this.spawned = true;
    const options = { workerData: this.data, ...(this.limits ? { resourceLimits: this.limits } : {}) };
    const w = startWorker(import.meta.url, 'line-worker-main', options);
    this.answered = false;
    w.unref();
    w.on('message', (m: WorkerReply) => {
      this.answered = true;
      this.failedStarts = 0;
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0) w.unref();
      if (m.ok) p.resolve(m.value);
      else p.reject(new LineWorkerError(`log worker: ${m.error}`));
    });
    w.on('error', (e) => this.died(w, e));
    w.on('exit', (code) => this.died(w, new LineWorkerError(`log worker exited with code ${code}`)));
    this.worker = w;
    return w;
  }

  private died(w: Worker, e: Error): void {
    if (this.worker !== w) return;
    this.worker = undefined;
    if (this.closed) return;
    const err = new LineWorkerError(`log worker failed: ${e.message}`);
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    if (!this.answered && ++this.failedStarts >= 2) {
      // Restarting a worker that cannot start would loop; keep ingesting on this thread.
      this.inline = new LineProcessor(this.data);
      this.onError(new LineWorkerError(`log worker cannot start (${e.message}); parsing, redaction and mining continue on the main thread`));
      return;
    }
    this.onError(err);
  }

  private call(op: WorkerOp, arg?: unknown): Promise<unknown> {
    if (this.closed) return Promise.reject(new LineWorkerError('log worker is closed'));
    if (this.inline) {
      try {
        return Promise.resolve(runOp(this.inline, op, arg));
      } catch (e) {
        return Promise.reject(new LineWorkerError(`log worker: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`));
      }
    }
    const w = this.worker ?? this.spawn();
    const id = this.nextId++;
    // Referenced only while a request waits, so an idle worker never keeps the process alive.
    if (this.pending.size === 0) w.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      w.postMessage({ id, op, arg });
    });
  }

  /** The worker's event-loop utilization since it started (0–1), for benchmarks and /metrics. */
  utilization(): number {
    return this.worker?.performance.eventLoopUtilization().utilization ?? 0;
  }

  async process(inputs: readonly LogInput[]): Promise<ProcessedBatch> {
    return unpackBatch(inputs, (await this.call('process', packInputs(inputs))) as PackedBatch);
  }

  async patterns(service?: string): Promise<ServicePattern[]> {
    if (this.pristine && !this.closed) return [];
    return (await this.call('patterns', service)) as ServicePattern[];
  }

  async snapshot(): Promise<Record<string, MinerSnapshot>> {
    if (this.pristine && !this.closed) return {};
    return (await this.call('snapshot')) as Record<string, MinerSnapshot>;
  }

  async restore(all: Readonly<Record<string, unknown>>): Promise<void> {
    if (this.pristine && !this.closed && Object.keys(all).length === 0) return;
    await this.call('restore', all);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const w = this.worker;
    this.worker = undefined;
    for (const p of this.pending.values()) p.reject(new LineWorkerError('log worker is closed'));
    this.pending.clear();
    if (w) await w.terminate();
  }
}

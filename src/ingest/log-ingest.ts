import { gunzipSync, inflateSync } from 'node:zlib';
import { DomainError } from '../model/errors.js';
import { briefLabels, labelLimitProblem, LOG_LABEL_LIMITS, LOG_LIMIT_KEYS, type LabelLimits } from '../model/label-limits.js';
import { LineProcessor } from '../logs/index.js';
import type { LineMeta, LineParser, LogInput, ProcessedBatch } from '../logs/index.js';
import { snappyDecode } from './snappy.js';

/** A push body that cannot be decoded; the message names where (stream, record, line, byte). Maps to 400. */
export class IngestError extends DomainError {
  constructor(message: string) {
    super('invalid', message);
    this.name = 'IngestError';
  }
}

/**
 * Too many lines are in flight to the store. The HTTP layer answers 429 with
 * `Retry-After: retryAfterSeconds`; nothing of the refused request was stored, so the
 * shipper's retry neither loses nor duplicates lines.
 */
export class OverloadedError extends Error {
  override name = 'OverloadedError';
  constructor(
    readonly retryAfterSeconds: number,
    readonly pendingLines: number,
  ) {
    super(`log ingestion is overloaded (${pendingLines} lines in flight); retry after ${retryAfterSeconds}s`);
  }
}

/** The media type without parameters, lower-cased (`application/json; charset=utf-8` → `application/json`). */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Undoes a Content-Encoding (gzip, deflate, snappy block, identity). */
export function decodeContentEncoding(body: Uint8Array, contentEncoding: string | undefined, what: string): Uint8Array {
  const enc = (contentEncoding ?? '').trim().toLowerCase();
  try {
    switch (enc) {
      case '':
      case 'identity':
        return body;
      case 'gzip':
      case 'x-gzip':
        return gunzipSync(body);
      case 'deflate':
        return inflateSync(body);
      case 'snappy':
        return snappyDecode(body);
      default:
        throw new IngestError(`${what}: unsupported Content-Encoding ${JSON.stringify(contentEncoding)} (use gzip, deflate, snappy or none)`);
    }
  } catch (e) {
    if (e instanceof IngestError) throw e;
    throw new IngestError(`${what}: body is not valid ${enc} (${(e as Error).message})`);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeUtf8(body: Uint8Array, what: string): string {
  try {
    return utf8.decode(body);
  } catch {
    throw new IngestError(`${what}: body is not valid UTF-8`);
  }
}

/** Parses JSON, turning SyntaxError into an IngestError naming the source. */
export function parseJsonBody(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new IngestError(`${what}: invalid JSON: ${(e as Error).message}`);
  }
}

export interface LogSink {
  /**
   * `options.redactedBy` names the redactor that already redacted the inputs; a sink whose
   * own redactor is that very instance may skip redacting again (LogStore does).
   */
  append(inputs: readonly LogInput[], options?: { redactedBy?: unknown }): Promise<void>;
}

export interface IngestRedactor {
  redact(text: string): string;
  redactFields(fields: Readonly<Record<string, string>>): Record<string, string>;
}

/** Does the per-line work (parse, redact, mine) for a batch, possibly in another thread. */
export interface BatchProcessor {
  process(inputs: readonly LogInput[]): Promise<ProcessedBatch>;
}

export interface LogIngestorOptions {
  store: LogSink;
  /** Parses each line for enrichment; default `createLineParser({format: 'auto'})`. */
  parser?: LineParser;
  /** Lines accepted but not yet durable above which ingest() refuses with OverloadedError (default 50 000). */
  maxPendingLines?: number;
  /** Retry-After advertised when overloaded (default 1 s). */
  retryAfterSeconds?: number;
  /**
   * Applied before the store and before onAccepted, so consumers (metrics, miner,
   * detectors, alert samples) only ever see redacted text. The store is told which
   * redactor ran (`redactedBy`): one that uses the same instance skips its own pass, any
   * other store redacts again (redaction is idempotent).
   */
  redactor?: IngestRedactor;
  /**
   * Replaces the built-in enrichment (`parser` + `redactor`, no mining) with one that also
   * mines, e.g. in a worker thread. It must redact with the same rules as `redactor`, which
   * is what the store is told ran.
   */
  processor?: BatchProcessor;
  /** Called with the enriched inputs once the store made them durable. Errors go to onError. */
  onAccepted?: (inputs: readonly LogInput[], meta: readonly LineMeta[]) => void;
  onError?: (err: unknown) => void;
  /** Stream label name/value lengths and count (default: Loki's 1024 / 2048 bytes, 15 labels); more refuses the request. */
  labelLimits?: LabelLimits;
}

/**
 * The write path shared by every log receiver (Loki push, OTLP, NDJSON, file sources):
 * enrich → backpressure → durable append → notify consumers.
 *
 * Stream labels stay as the shipper sent them (low cardinality: service, level, job…);
 * what the parser finds in the line (request_id, trace_id, …) goes to `fields`, never to
 * labels, so a busy service does not explode into one stream per request.
 */
export class LogIngestor {
  private readonly local: LineProcessor;
  private readonly maxPending: number;
  private readonly retryAfter: number;
  private pending = 0;

  constructor(private readonly opts: LogIngestorOptions) {
    this.local = new LineProcessor({ mining: false, ...(opts.parser ? { parser: opts.parser } : {}), ...(opts.redactor ? { redactor: opts.redactor } : {}) });
    this.maxPending = opts.maxPendingLines ?? 50_000;
    this.retryAfter = opts.retryAfterSeconds ?? 1;
    if (!(this.maxPending > 0)) throw new RangeError(`maxPendingLines must be positive, got ${this.maxPending}`);
  }

  get pendingLines(): number {
    return this.pending;
  }

  /** The inputs with parsed fields added, redacted (pure; exposed for tests and dry runs). */
  enrich(inputs: readonly LogInput[]): LogInput[] {
    return this.local.process(inputs).inputs;
  }

  /**
   * Resolves once every line is durable in the store. Throws OverloadedError (before
   * storing anything) when accepting would push the in-flight count over the limit; a
   * batch larger than the limit is still taken when nothing else is in flight, so it can
   * always make progress.
   */
  async ingest(inputs: readonly LogInput[]): Promise<LogInput[]> {
    const n = inputs.length;
    if (n === 0) return [];
    this.checkLabels(inputs);
    if (this.pending > 0 && this.pending + n > this.maxPending) throw new OverloadedError(this.retryAfter, this.pending);
    this.pending += n;
    let batch: ProcessedBatch;
    try {
      batch = this.opts.processor ? await this.opts.processor.process(inputs) : this.local.process(inputs);
      await this.opts.store.append(batch.inputs, this.opts.redactor ? { redactedBy: this.opts.redactor } : {});
    } finally {
      this.pending -= n;
    }
    const enriched = batch.inputs;
    if (this.opts.onAccepted) {
      try {
        this.opts.onAccepted(enriched, batch.meta);
      } catch (e) {
        this.opts.onError?.(e);
      }
    }
    return enriched;
  }

  /** Loki's per-stream label limits, before anything is processed or stored (IngestError: 400). */
  private checkLabels(inputs: readonly LogInput[]): void {
    const limits = this.opts.labelLimits ?? LOG_LABEL_LIMITS;
    // Decoders share one labels object per stream: each is checked once.
    let last: LogInput['labels'] | undefined;
    for (let i = 0; i < inputs.length; i++) {
      const labels = (inputs[i] as LogInput).labels;
      if (labels === last) continue;
      last = labels;
      const problem = labelLimitProblem(labels, limits, LOG_LIMIT_KEYS);
      if (problem !== undefined) throw new IngestError(`entry ${i}: stream ${briefLabels(labels)}: ${problem}`);
    }
  }
}

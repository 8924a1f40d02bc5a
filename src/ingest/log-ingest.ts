import { gunzipSync, inflateSync } from 'node:zlib';
import { DomainError } from '../model/errors.js';
import { createLineParser } from '../logs/index.js';
import type { LineParser, LogInput } from '../logs/index.js';
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
  /** Called with the enriched inputs once the store made them durable. Errors go to onError. */
  onAccepted?: (inputs: readonly LogInput[]) => void;
  onError?: (err: unknown) => void;
}

// Parsed fields that are worth keeping as structured metadata: the canonical ids and the level.
const ENRICH_FIELDS = ['level', 'service', 'request_id', 'trace_id', 'span_id', 'user_id', 'client_ip'] as const;

/**
 * The write path shared by every log receiver (Loki push, OTLP, NDJSON, file sources):
 * enrich → backpressure → durable append → notify consumers.
 *
 * Stream labels stay as the shipper sent them (low cardinality: service, level, job…);
 * what the parser finds in the line (request_id, trace_id, …) goes to `fields`, never to
 * labels, so a busy service does not explode into one stream per request.
 */
export class LogIngestor {
  private readonly parser: LineParser;
  private readonly maxPending: number;
  private readonly retryAfter: number;
  private pending = 0;

  constructor(private readonly opts: LogIngestorOptions) {
    this.parser = opts.parser ?? createLineParser({ format: 'auto' });
    this.maxPending = opts.maxPendingLines ?? 50_000;
    this.retryAfter = opts.retryAfterSeconds ?? 1;
    if (!(this.maxPending > 0)) throw new RangeError(`maxPendingLines must be positive, got ${this.maxPending}`);
  }

  get pendingLines(): number {
    return this.pending;
  }

  /** The inputs with parsed fields added (pure; exposed for tests and dry runs). */
  enrich(inputs: readonly LogInput[]): LogInput[] {
    return inputs.map((inp) => {
      const parsed = this.parser(inp.line);
      const fields: Record<string, string> = {};
      for (const k of ENRICH_FIELDS) {
        const v = parsed.fields[k];
        if (v !== undefined && v !== '' && inp.labels[k] === undefined) fields[k] = v;
      }
      // A level the shipper states (label or metadata) wins over the guessed one.
      const stated = inp.labels.level ?? inp.fields?.level;
      if (stated !== undefined) delete fields.level;
      Object.assign(fields, inp.fields);
      let line = inp.line;
      let out = fields;
      if (this.opts.redactor) {
        line = this.opts.redactor.redact(line);
        out = this.opts.redactor.redactFields(fields);
      }
      const r: LogInput = { labels: inp.labels, t: inp.t, line };
      if (inp.ns !== undefined) r.ns = inp.ns;
      if (Object.keys(out).length) r.fields = out;
      return r;
    });
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
    if (this.pending > 0 && this.pending + n > this.maxPending) throw new OverloadedError(this.retryAfter, this.pending);
    this.pending += n;
    let enriched: LogInput[];
    try {
      enriched = this.enrich(inputs);
      await this.opts.store.append(enriched, this.opts.redactor ? { redactedBy: this.opts.redactor } : {});
    } finally {
      this.pending -= n;
    }
    if (this.opts.onAccepted) {
      try {
        this.opts.onAccepted(enriched);
      } catch (e) {
        this.opts.onError?.(e);
      }
    }
    return enriched;
  }
}

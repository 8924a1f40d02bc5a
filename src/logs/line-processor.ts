import { Miner } from './mining/index.js';
import type { MinerSnapshot, PatternInfo } from './mining/index.js';
import { createLineParser } from './parse/parser.js';
import type { LineParser, ParserSpec } from './parse/parser.js';
import { Redactor } from './redact.js';
import type { RedactorOptions } from './redact.js';
import type { LogInput } from './types.js';

/** Parsed fields kept as structured metadata on a stored line: the canonical ids and the level. */
export const ENRICH_FIELDS = ['level', 'service', 'request_id', 'trace_id', 'span_id', 'user_id', 'client_ip'] as const;

/** What consumers after the store (metrics, detectors) need to know of a line besides its text. */
export interface LineMeta {
  /** From the `service`/`service_name` label, the parsed `service` field or the `job` label; 'unknown' otherwise. */
  readonly service: string;
  /** Normalized level, or '' when unknown. */
  readonly level: string;
  /** The parsed message (redacted); the whole line when the format has no message field. */
  readonly message: string;
  /** Mined pattern ('' when mining is off). */
  readonly patternId: string;
  readonly template: string;
}

export interface ProcessedBatch {
  /** The inputs to store: redacted line, redacted parsed fields; labels, t and ns as given. */
  readonly inputs: LogInput[];
  readonly meta: LineMeta[];
}

export type LineSink = (
  i: number,
  line: string,
  fields: Record<string, string> | undefined,
  service: string,
  level: string,
  message: string,
  patternId: string,
  template: string,
) => void;

export interface ServicePattern extends PatternInfo {
  readonly service: string;
}

/** What redacts lines and fields (a Redactor, or any object doing the same). */
export interface LineRedactor {
  redact(text: string): string;
  redactFields(fields: Readonly<Record<string, string>>): Record<string, string>;
}

export interface LineProcessorOptions {
  /** How lines are parsed: a spec, or a parser already built; default auto-detection. */
  parser?: ParserSpec | LineParser;
  /** A redactor, or the options to build a Redactor (what a worker thread receives); none = no redaction. */
  redactor?: LineRedactor | RedactorOptions;
  /** Mine templates per service (default true). */
  mining?: boolean;
  /** Miners kept; services beyond share one named `__other__` (default 200). */
  maxMiners?: number;
  /** Time of a line that has none (the miner never needs it for inputs, which carry `t`). */
  now?: () => number;
}

const NO_FIELDS: Readonly<Record<string, string>> = Object.freeze({});

function isLineRedactor(r: LineRedactor | RedactorOptions): r is LineRedactor {
  return typeof (r as Partial<LineRedactor>).redact === 'function';
}

function hasKeys(o: object): boolean {
  for (const _ in o) return true;
  return false;
}

/** The service a line belongs to, as detectors and miners see it. */
export function serviceOf(labels: Readonly<Record<string, string>>, fields: Readonly<Record<string, string>>): string {
  return labels.service ?? labels.service_name ?? fields.service ?? labels.job ?? 'unknown';
}

/**
 * The CPU-heavy, per-line part of ingestion, with no I/O: redact the line, parse it
 * (auto-detected format), keep the canonical fields, redact them, and assign each line a
 * mined template per service. Redaction runs before parsing, so everything derived from
 * the line (fields, message, templates, samples) is already redacted.
 *
 * Stateful only through the miners; `snapshot()`/`restore()` carry them across restarts.
 * Runs in the caller's thread or in a worker (see line-worker.ts) with the same results.
 */
export class LineProcessor {
  private readonly parser: LineParser;
  private readonly redactor: LineRedactor | undefined;
  private readonly mining: boolean;
  private readonly maxMiners: number;
  private readonly now: () => number;
  private readonly miners = new Map<string, Miner>();

  constructor(opts: LineProcessorOptions = {}) {
    this.now = opts.now ?? Date.now;
    const parser = opts.parser ?? { format: 'auto' };
    this.parser = typeof parser === 'function' ? parser : createLineParser(parser, this.now);
    const r = opts.redactor;
    this.redactor = r === undefined ? undefined : isLineRedactor(r) ? r : new Redactor(r);
    this.mining = opts.mining ?? true;
    this.maxMiners = opts.maxMiners ?? 200;
  }

  process(inputs: readonly LogInput[]): ProcessedBatch {
    const out: LogInput[] = new Array<LogInput>(inputs.length);
    const meta: LineMeta[] = new Array<LineMeta>(inputs.length);
    this.each(inputs, (i, line, fields, service, level, message, patternId, template) => {
      const inp = inputs[i]!;
      const r: LogInput = { labels: inp.labels, t: inp.t, line };
      if (inp.ns !== undefined) r.ns = inp.ns;
      if (fields) r.fields = fields;
      out[i] = r;
      meta[i] = { service, level, message, patternId, template };
    });
    return { inputs: out, meta };
  }

  /**
   * Processes each input in order and hands the results to `sink` (no per-line objects of
   * its own: a worker packs them straight into arrays). `fields` is undefined when empty.
   */
  each(inputs: readonly LogInput[], sink: LineSink): void {
    const redactor = this.redactor;
    let lastService: string | undefined;
    let miner: Miner | undefined;
    for (let i = 0; i < inputs.length; i++) {
      const inp = inputs[i]!;
      const labels = inp.labels;
      const line = redactor ? redactor.redact(inp.line) : inp.line;
      const parsed = this.parser(line);
      let fields: Record<string, string> | undefined;
      for (const k of ENRICH_FIELDS) {
        const v = parsed.fields[k];
        if (v !== undefined && v !== '' && labels[k] === undefined) (fields ??= {})[k] = v;
      }
      // A level the shipper states (label or metadata) wins over the guessed one.
      if (fields?.level !== undefined && (labels.level !== undefined || inp.fields?.level !== undefined)) delete fields.level;
      if (inp.fields && hasKeys(inp.fields)) fields = Object.assign(fields ?? {}, inp.fields);
      if (fields && !hasKeys(fields)) fields = undefined;
      if (fields && redactor) fields = redactor.redactFields(fields);
      const f = fields ?? NO_FIELDS;
      const service = serviceOf(labels, f);
      let patternId = '';
      let template = '';
      if (this.mining) {
        if (service !== lastService || !miner) {
          miner = this.minerFor(service);
          lastService = service;
        }
        const mined = miner.add(parsed.message, inp.t);
        patternId = mined.patternId;
        template = mined.template;
      }
      sink(i, line, fields, service, labels.level ?? f.level ?? '', parsed.message, patternId, template);
    }
  }

  /** Patterns of a service (or every service), most frequent first. */
  patterns(service?: string): ServicePattern[] {
    const out: ServicePattern[] = [];
    for (const [svc, m] of this.miners) {
      if (service && svc !== service) continue;
      for (const p of m.patterns()) out.push({ service: svc, ...p });
    }
    return out.sort((a, b) => b.count - a.count);
  }

  snapshot(): Record<string, MinerSnapshot> {
    const all: Record<string, MinerSnapshot> = {};
    for (const [svc, m] of this.miners) all[svc] = m.snapshot();
    return all;
  }

  /** Replaces the miners with saved ones; throws (changing nothing) if any snapshot is unreadable. */
  restore(all: Readonly<Record<string, unknown>>): void {
    const restored = new Map<string, Miner>();
    for (const [svc, snap] of Object.entries(all)) restored.set(svc, Miner.restore(snap, { now: this.now }));
    this.miners.clear();
    for (const [svc, m] of restored) this.miners.set(svc, m);
  }

  private minerFor(service: string): Miner {
    let m = this.miners.get(service);
    if (!m) {
      if (this.miners.size >= this.maxMiners) service = '__other__';
      m = this.miners.get(service) ?? new Miner({ now: this.now });
      this.miners.set(service, m);
    }
    return m;
  }
}

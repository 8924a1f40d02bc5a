import type { LineMeta, LineProcessor, ProcessedBatch } from './line-processor.js';
import type { LogInput } from './types.js';

export type WorkerOp = 'process' | 'patterns' | 'snapshot' | 'restore';

export interface WorkerRequest {
  id: number;
  op: WorkerOp;
  arg?: unknown;
}

/** What the worker does for one request (also run in-thread when no worker can start). */
export function runOp(processor: LineProcessor, op: WorkerOp, arg: unknown): unknown {
  switch (op) {
    case 'process':
      return processPacked(processor, unpackInputs(arg as PackedInputs));
    case 'patterns':
      return processor.patterns(arg as string | undefined);
    case 'snapshot':
      return processor.snapshot();
    case 'restore':
      processor.restore(arg as Record<string, unknown>);
      return null;
    default:
      throw new Error(`unknown request ${JSON.stringify(op as unknown)}`);
  }
}

export type WorkerReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

/**
 * A processed batch as it crosses the thread boundary. Structured cloning copies every
 * string, so what repeats from line to line (service, level, pattern id, template) travels
 * once per batch in `strings`, referenced by index; the message only where it differs from
 * the line; and no labels (the sender keeps its own label objects, so the store still sees
 * one object per stream).
 */
export interface PackedBatch {
  /** null: the line as it was sent (unchanged by redaction), so it does not travel back. */
  lines: Array<string | null>;
  fields: Array<Record<string, string> | undefined>;
  /** null: the message is the line's tail from `messageAt` (the whole line at 0), which costs no copy. */
  message: Array<string | null>;
  /** Where the message starts in the line, when `message` is null. */
  messageAt: Int32Array;
  strings: string[];
  /** Per line, 4 indexes into `strings`: service, level, pattern id, template. */
  refs: Int32Array;
}

/**
 * A batch of inputs as it crosses to the worker: arrays of strings and numbers rather than
 * objects (structured cloning copies objects property by property, on both threads), the
 * label sets once each. `ns` stays behind: the processing does not use it.
 */
export interface PackedInputs {
  lines: string[];
  t: Float64Array;
  /** Index into `labels` per line. */
  labelIdx: Int32Array;
  labels: Array<Readonly<Record<string, string>>>;
  /** Absent when no input has fields. */
  fields?: Array<Record<string, string> | undefined>;
}

export function packInputs(inputs: readonly LogInput[]): PackedInputs {
  const n = inputs.length;
  const p: PackedInputs = { lines: new Array<string>(n), t: new Float64Array(n), labelIdx: new Int32Array(n), labels: [] };
  const index = new Map<object, number>();
  let last: object | undefined;
  let li = 0;
  for (let i = 0; i < n; i++) {
    const inp = inputs[i]!;
    if (inp.labels !== last) {
      last = inp.labels;
      let k = index.get(inp.labels);
      if (k === undefined) {
        index.set(inp.labels, (k = p.labels.length));
        p.labels.push(inp.labels);
      }
      li = k;
    }
    p.lines[i] = inp.line;
    p.t[i] = inp.t;
    p.labelIdx[i] = li;
    if (inp.fields) (p.fields ??= new Array(n))[i] = inp.fields;
  }
  return p;
}

export function unpackInputs(p: PackedInputs): LogInput[] {
  const n = p.lines.length;
  const out: LogInput[] = new Array<LogInput>(n);
  for (let i = 0; i < n; i++) {
    const f = p.fields?.[i];
    out[i] = f ? { labels: p.labels[p.labelIdx[i]!]!, t: p.t[i]!, line: p.lines[i]!, fields: f } : { labels: p.labels[p.labelIdx[i]!]!, t: p.t[i]!, line: p.lines[i]! };
  }
  return out;
}

/** Processes `inputs` straight into the packed form (no per-line objects on the way). */
export function processPacked(processor: LineProcessor, inputs: readonly LogInput[]): PackedBatch {
  const n = inputs.length;
  const strings: string[] = [];
  const index = new Map<string, number>();
  // Consecutive lines mostly repeat each slot's string: remember the last one per slot.
  const lastS: Array<string | undefined> = [undefined, undefined, undefined, undefined];
  const lastI = [0, 0, 0, 0];
  const ref = (slot: number, s: string): number => {
    if (lastS[slot] === s) return lastI[slot] as number;
    let i = index.get(s);
    if (i === undefined) {
      index.set(s, (i = strings.length));
      strings.push(s);
    }
    lastS[slot] = s;
    lastI[slot] = i;
    return i;
  };
  const p: PackedBatch = { lines: new Array(n), fields: new Array(n), message: new Array(n), messageAt: new Int32Array(n), strings, refs: new Int32Array(n * 4) };
  processor.each(inputs, (i, line, fields, service, level, message, patternId, template) => {
    p.lines[i] = line === inputs[i]!.line ? null : line;
    p.fields[i] = fields;
    // Most formats' message is the end of the line (syslog, plain text with a header): it
    // then travels as an offset instead of as a second copy of most of the line.
    if (message === line) p.message[i] = null;
    else if (line.endsWith(message)) {
      p.message[i] = null;
      p.messageAt[i] = line.length - message.length;
    } else p.message[i] = message;
    p.refs[4 * i] = ref(0, service);
    p.refs[4 * i + 1] = ref(1, level);
    p.refs[4 * i + 2] = ref(2, patternId);
    p.refs[4 * i + 3] = ref(3, template);
  });
  return p;
}

/** Rebuilds the batch against the inputs that were sent (their labels, t and ns). */
export function unpackBatch(sent: readonly LogInput[], p: PackedBatch): ProcessedBatch {
  const n = sent.length;
  if (p.lines.length !== n || p.refs.length !== 4 * n || p.messageAt.length !== n) throw new Error(`log worker answered ${p.lines.length} lines for ${n}`);
  const inputs: LogInput[] = new Array<LogInput>(n);
  const meta: LineMeta[] = new Array<LineMeta>(n);
  const str = p.strings;
  const refs = p.refs;
  for (let i = 0; i < n; i++) {
    const s = sent[i]!;
    const line = p.lines[i] ?? s.line;
    const r: LogInput = { labels: s.labels, t: s.t, line };
    if (s.ns !== undefined) r.ns = s.ns;
    const f = p.fields[i];
    if (f) r.fields = f;
    inputs[i] = r;
    meta[i] = { service: str[refs[4 * i]!]!, level: str[refs[4 * i + 1]!]!, message: p.message[i] ?? (p.messageAt[i] === 0 ? line : line.slice(p.messageAt[i])), patternId: str[refs[4 * i + 2]!]!, template: str[refs[4 * i + 3]!]! };
  }
  return { inputs, meta };
}

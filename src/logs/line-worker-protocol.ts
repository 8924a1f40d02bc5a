import type { LineMeta, ProcessedBatch } from './line-processor.js';
import type { LogInput } from './types.js';

export type WorkerOp = 'process' | 'patterns' | 'snapshot' | 'restore';

export interface WorkerRequest {
  id: number;
  op: WorkerOp;
  arg?: unknown;
}

export type WorkerReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

/**
 * A processed batch as it crosses the thread boundary: no labels (the sender keeps its own
 * label objects, so the store still sees one object per stream), and the message only where
 * it differs from the line, since structured cloning copies every string.
 */
export interface PackedBatch {
  lines: string[];
  fields: Array<Record<string, string> | undefined>;
  service: string[];
  level: string[];
  /** null: the message is the line. */
  message: Array<string | null>;
  patternId: string[];
  template: string[];
}

export function packBatch(b: ProcessedBatch): PackedBatch {
  const n = b.inputs.length;
  const p: PackedBatch = { lines: new Array(n), fields: new Array(n), service: new Array(n), level: new Array(n), message: new Array(n), patternId: new Array(n), template: new Array(n) };
  for (let i = 0; i < n; i++) {
    const inp = b.inputs[i]!;
    const m = b.meta[i]!;
    p.lines[i] = inp.line;
    p.fields[i] = inp.fields;
    p.service[i] = m.service;
    p.level[i] = m.level;
    p.message[i] = m.message === inp.line ? null : m.message;
    p.patternId[i] = m.patternId;
    p.template[i] = m.template;
  }
  return p;
}

/** Rebuilds the batch against the inputs that were sent (their labels, t and ns). */
export function unpackBatch(sent: readonly LogInput[], p: PackedBatch): ProcessedBatch {
  const n = sent.length;
  if (p.lines.length !== n) throw new Error(`log worker answered ${p.lines.length} lines for ${n}`);
  const inputs: LogInput[] = new Array<LogInput>(n);
  const meta: LineMeta[] = new Array<LineMeta>(n);
  for (let i = 0; i < n; i++) {
    const s = sent[i]!;
    const line = p.lines[i]!;
    const r: LogInput = { labels: s.labels, t: s.t, line };
    if (s.ns !== undefined) r.ns = s.ns;
    const f = p.fields[i];
    if (f) r.fields = f;
    inputs[i] = r;
    meta[i] = { service: p.service[i]!, level: p.level[i]!, message: p.message[i] ?? line, patternId: p.patternId[i]!, template: p.template[i]! };
  }
  return { inputs, meta };
}

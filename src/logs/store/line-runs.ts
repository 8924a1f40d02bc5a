import type { Labels } from '../../model/labels.js';
import type { LogEntry } from '../types.js';
import { lineBytes } from './chunk.js';
import type { LineStats } from './line-stats.js';

/**
 * Lines of one stream that share the values of the fields a query asked for: their
 * timestamps (ascending) and UTF-8 sizes. What a metric query that only counts lines or
 * bytes needs, without the lines themselves.
 */
export interface LineRun {
  stream: Labels;
  /** Non-empty values of the asked-for fields (every field, for 'all'). */
  fields: Record<string, string>;
  ts: ArrayLike<number>;
  bytes: ArrayLike<number>;
}

/** Field names a query needs per line, or every field. */
export type FieldSet = readonly string[] | 'all';

/** Runs from a chunk's statistics, or undefined when they do not carry a field the query needs. */
export function runsFromStats(stream: Labels, stats: LineStats, fields: FieldSet): LineRun[] | undefined {
  if (fields === 'all' ? stats.other.length > 0 : fields.some((f) => stats.other.includes(f))) return undefined;
  const out: LineRun[] = [];
  for (const g of stats.groups) {
    let f: Record<string, string> = g.fields;
    if (fields !== 'all') {
      f = {};
      for (const k of fields) if (g.fields[k] !== undefined) f[k] = g.fields[k];
    }
    out.push({ stream, fields: f, ts: g.ts, bytes: g.bytes });
  }
  return out;
}

/** Runs from entries (any order), grouped by the asked-for fields' values. */
export function runsFromEntries(stream: Labels, entries: readonly LogEntry[], fields: FieldSet, sorted: boolean): LineRun[] {
  const groups = new Map<string, { fields: Record<string, string>; ts: number[]; bytes: number[] }>();
  for (const e of entries) {
    const f: Record<string, string> = {};
    let key = '';
    if (e.fields) {
      const names = fields === 'all' ? Object.keys(e.fields).sort() : fields;
      for (const k of names) {
        const v = e.fields[k];
        if (v === undefined || v === '') continue;
        f[k] = v;
        key += `${k.length}:${k}${v.length}:${v}`;
      }
    }
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { fields: f, ts: [], bytes: [] }));
    g.ts.push(e.t);
    g.bytes.push(lineBytes(e.line));
  }
  const out: LineRun[] = [];
  for (const g of groups.values()) {
    if (!sorted) sortTogether(g.ts, g.bytes);
    out.push({ stream, fields: g.fields, ts: g.ts, bytes: g.bytes });
  }
  return out;
}

function sortTogether(ts: number[], bytes: number[]): void {
  for (let i = 1; i < ts.length; i++) {
    if (ts[i - 1]! <= ts[i]!) continue;
    const order = ts.map((_, j) => j).sort((a, b) => ts[a]! - ts[b]!);
    const t2 = order.map((j) => ts[j]!);
    const b2 = order.map((j) => bytes[j]!);
    for (let j = 0; j < ts.length; j++) {
      ts[j] = t2[j]!;
      bytes[j] = b2[j]!;
    }
    return;
  }
}

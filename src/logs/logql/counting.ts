import type { FieldSet, LineRun } from '../store/line-runs.js';
import type { Grouping, LogExpr, MetricExpr, RangeOp } from './ast.js';
import { initialLabels } from './stages.js';

/**
 * Range aggregations that only count lines or add up their sizes, evaluated from runs of
 * line timestamps instead of per-line points: each run's windows are counted with two
 * pointers that only move forward, so a step costs O(1) per run it overlaps and no window
 * is copied. Counts and byte sums are integers, so the result does not depend on the order
 * runs arrive in, and equals the line-by-line evaluation exactly.
 */
export const COUNTING_OPS: ReadonlySet<RangeOp> = new Set<RangeOp>(['count_over_time', 'rate', 'bytes_over_time', 'bytes_rate']);

/**
 * Where `sum` of these may be applied before the range aggregation instead of after it:
 * integer counts and byte sums add up exactly in any grouping. Not `rate`: a sum of
 * quotients is not, bit for bit, the quotient of the sum.
 */
const SUMMABLE_OPS: ReadonlySet<RangeOp> = new Set<RangeOp>(['count_over_time', 'bytes_over_time']);

/** Runs of a bare stream selector's lines; undefined when the expression has line filters, stages or unwrap. */
export type CollectRuns = (expr: LogExpr, from: number, to: number, fields: FieldSet) => AsyncIterable<LineRun> | undefined;

/** True when `sum` over `e` may be pushed into its range aggregation (see SUMMABLE_OPS). */
export function summable(e: MetricExpr): boolean {
  if (e.kind === 'range') return SUMMABLE_OPS.has(e.op) && !e.log.unwrap;
  if (e.kind === 'vector') return e.op === 'sum' && summable(e.expr);
  return false;
}

export function applyGrouping(l: Record<string, string>, g: Grouping | undefined): Record<string, string> {
  if (!g) return l;
  const out: Record<string, string> = {};
  if (g.without) {
    for (const [k, v] of Object.entries(l)) if (!g.labels.includes(k) && k !== '__name__') out[k] = v;
  } else for (const k of g.labels) if (l[k] !== undefined && l[k] !== '') out[k] = l[k]!;
  return out;
}

/** Fields of structured metadata a chain of groupings can see: those of its first `by`, or all. */
export function neededFields(groupings: readonly Grouping[]): FieldSet {
  for (const g of groupings) if (!g.without) return g.labels;
  return 'all';
}

/** An injective key of a label set's non-empty labels (names and values length-prefixed). */
export function labelKey(l: Record<string, string>): string {
  const names = Object.keys(l);
  if (names.length > 1) names.sort();
  let k = '';
  for (const n of names) {
    const v = l[n]!;
    if (v !== '') k += n.length + ':' + n + v.length + ':' + v;
  }
  return k;
}

export function sortedLabels(l: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(l).sort()) if (l[k] !== '') out[k] = l[k]!;
  return out;
}

/**
 * Per series: the steps whose window holds some of its lines, with lines and bytes there.
 * Sparse, so a query over many series and many steps holds only what the lines fill
 * (runs of one series arriving out of time order are merged at the end).
 */
export interface WindowSeries {
  labels: Record<string, string>;
  steps: number[];
  lines: number[];
  bytes: number[];
  /** steps[] is strictly ascending. */
  ordered: boolean;
}

/** Accumulates runs into per-series window counts for steps (ascending) and windows (T - rangeMs, T]. */
export class WindowCounter {
  private readonly series = new Map<string, WindowSeries>();

  constructor(
    private readonly steps: readonly number[],
    private readonly rangeMs: number,
    private readonly project: (l: Record<string, string>) => Record<string, string>,
  ) {}

  /** Adds a run of a stream's lines: labels are the stream's plus the run's fields, then projected. */
  addRun(run: LineRun): void {
    this.count(run.ts, run.bytes, this.seriesFor(this.project(initialLabels(run.stream, run.fields))));
  }

  /** Adds points of one series whose labels are already projected (ts ascending; vs = sizes when bytes are needed). */
  addPoints(labels: Record<string, string>, ts: ArrayLike<number>, vs: ArrayLike<number>): void {
    this.count(ts, vs, this.seriesFor(labels));
  }

  /** Each series with, per step index, its window's lines (> 0) and bytes, ascending by step. */
  *results(): Generator<{ labels: Record<string, string>; steps: number[]; lines: number[]; bytes: number[] }> {
    for (const sr of this.series.values()) yield sr.ordered ? sr : merged(sr);
  }

  private seriesFor(labels: Record<string, string>): WindowSeries {
    const key = labelKey(labels);
    let sr = this.series.get(key);
    if (!sr) this.series.set(key, (sr = { labels: sortedLabels(labels), steps: [], lines: [], bytes: [], ordered: true }));
    return sr;
  }

  private count(ts: ArrayLike<number>, bytes: ArrayLike<number>, sr: WindowSeries): void {
    const n = ts.length;
    if (n === 0) return;
    const steps = this.steps;
    const range = this.rangeMs;
    const last = ts[n - 1]!;
    // The first step whose window can hold the run's first line.
    let a = 0;
    let b = steps.length;
    while (a < b) {
      const m = (a + b) >>> 1;
      if (steps[m]! < ts[0]!) a = m + 1;
      else b = m;
    }
    let lo = 0, hi = 0, sLo = 0, sHi = 0;
    for (let i = a; i < steps.length; i++) {
      const T = steps[i]!;
      const start = T - range;
      if (start >= last) break;
      while (hi < n && ts[hi]! <= T) sHi += bytes[hi++]!;
      while (lo < hi && ts[lo]! <= start) sLo += bytes[lo++]!;
      if (hi === lo) continue;
      const k = sr.steps.length - 1;
      if (k >= 0 && sr.steps[k] === i) {
        sr.lines[k]! += hi - lo;
        sr.bytes[k]! += sHi - sLo;
        continue;
      }
      if (k >= 0 && sr.steps[k]! > i) sr.ordered = false;
      sr.steps.push(i);
      sr.lines.push(hi - lo);
      sr.bytes.push(sHi - sLo);
    }
  }
}

function merged(sr: WindowSeries): { labels: Record<string, string>; steps: number[]; lines: number[]; bytes: number[] } {
  const order = sr.steps.map((_, j) => j).sort((x, y) => sr.steps[x]! - sr.steps[y]!);
  const out = { labels: sr.labels, steps: [] as number[], lines: [] as number[], bytes: [] as number[] };
  for (const j of order) {
    const k = out.steps.length - 1;
    if (k >= 0 && out.steps[k] === sr.steps[j]) {
      out.lines[k]! += sr.lines[j]!;
      out.bytes[k]! += sr.bytes[j]!;
    } else {
      out.steps.push(sr.steps[j]!);
      out.lines.push(sr.lines[j]!);
      out.bytes.push(sr.bytes[j]!);
    }
  }
  return out;
}

/** The value of a counting range aggregation from a window's lines and bytes. */
export function countingValue(op: RangeOp, lines: number, bytes: number, rangeSec: number): number {
  switch (op) {
    case 'count_over_time': return lines;
    case 'rate': return lines / rangeSec;
    case 'bytes_over_time': return bytes;
    case 'bytes_rate': return bytes / rangeSec;
    default: throw new Error(`${op} is not a counting range aggregation`);
  }
}

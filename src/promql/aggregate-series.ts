import type { Labels } from '../model/labels.js';
import type { AggregateExpr } from './ast.js';
import { groupLabels } from './aggregations.js';
import { MeanAccumulator } from './functions/stats.js';
import { labelsKey } from './labels-util.js';
import type { Point, Series } from './value.js';

/** Operators aggregateSeries handles: a streaming reduction per (group, step), no parameter. */
const STREAMING = new Set(['sum', 'avg', 'count', 'group', 'min', 'max']);

export function canAggregateSeries(e: AggregateExpr): boolean {
  return STREAMING.has(e.op) && e.param === undefined;
}

export interface Acc {
  readonly labels: Record<string, string>;
  dropName: boolean;
  /** Earliest step with a sample, and the input index of the first series sampled there: output order. */
  firstStep: number;
  firstIdx: number;
  /**
   * Per-step state for steps [base, base + len), at [off, off + len) of the aggregator's shared
   * columns: grown as the group's series reach new steps, so a group whose series exist for a few
   * steps of a long range holds those steps only, and a group costs no typed array of its own.
   */
  base: number;
  off: number;
  len: number;
  means?: Array<MeanAccumulator | undefined>;
}

/** Steps a group covers when its first sample arrives (it doubles from there as needed). */
const FIRST_SPAN = 4;

/**
 * Series-at-a-time evaluation of `sum`/`avg`/`count`/`group`/`min`/`max` over all steps: each
 * input series is grouped once, and its values fold into per-(group, step) accumulators in input
 * order, so every step sees the same values in the same order as the per-step aggregate().
 * Series must be offered in input-vector order (open, then its points in step order).
 */
export class SeriesAggregator {
  private readonly groups = new Map<string, Acc>();
  /** Which per-step columns the operator needs besides the counts. */
  private readonly needsA: boolean;
  private readonly needsC: boolean;
  /** Every group's per-step state, regions handed out by reserve() and never reused (so zeroed). */
  private n = new Uint32Array(0);
  private a = new Float64Array(0);
  private c = new Float64Array(0);
  private used = 0;

  constructor(
    private readonly e: AggregateExpr,
    private readonly steps: readonly number[],
  ) {
    this.needsA = e.op === 'sum' || e.op === 'min' || e.op === 'max';
    this.needsC = e.op === 'sum';
  }

  /** The accumulator of the group series `si` (an increasing input index) belongs to. */
  open(labelsIn: Labels, dropName: boolean | undefined, si: number): Acc {
    const labels = groupLabels(this.e, labelsIn);
    const key = labelsKey(labels);
    let g = this.groups.get(key);
    if (!g) {
      g = { labels, dropName: false, firstStep: Infinity, firstIdx: si, base: 0, off: 0, len: 0 };
      if (this.e.op === 'avg') g.means = [];
      this.groups.set(key, g);
    }
    if (dropName && labels.__name__ !== undefined) g.dropName = true;
    return g;
  }

  /** A fresh (zeroed) region of `size` entries in every column the operator uses. */
  private reserve(size: number): number {
    const need = this.used + size;
    if (need > this.n.length) {
      const cap = Math.max(need, this.n.length * 2, 1024);
      const grow = <A extends Uint32Array | Float64Array>(old: A, make: (n: number) => A): A => {
        const x = make(cap);
        x.set(old.subarray(0, this.used));
        return x;
      };
      this.n = grow(this.n, (k) => new Uint32Array(k));
      if (this.needsA) this.a = grow(this.a, (k) => new Float64Array(k));
      if (this.needsC) this.c = grow(this.c, (k) => new Float64Array(k));
    }
    const off = this.used;
    this.used = need;
    return off;
  }

  /** Makes g's region cover step i: doubles the covered span (within the query's steps) and copies. */
  private cover(g: Acc, i: number): void {
    const len = g.len;
    const total = this.steps.length;
    let lo: number;
    let hi: number;
    if (len === 0) {
      lo = i;
      hi = Math.min(total, i + FIRST_SPAN);
    } else {
      const grow = Math.max(FIRST_SPAN, len);
      lo = i < g.base ? Math.max(0, Math.min(i, g.base - grow)) : g.base;
      hi = i >= g.base + len ? Math.min(total, Math.max(i + 1, g.base + len + grow)) : g.base + len;
    }
    const at = len === 0 ? 0 : g.base - lo;
    const off = this.reserve(hi - lo);
    if (len > 0) {
      this.n.copyWithin(off + at, g.off, g.off + len);
      if (this.needsA) this.a.copyWithin(off + at, g.off, g.off + len);
      if (this.needsC) this.c.copyWithin(off + at, g.off, g.off + len);
    }
    if (g.means) g.means = [...new Array<MeanAccumulator | undefined>(at), ...g.means, ...new Array<MeanAccumulator | undefined>(Math.max(0, hi - lo - at - g.means.length))];
    g.base = lo;
    g.off = off;
    g.len = hi - lo;
  }

  /** Folds value v of series si into its group at step index i. */
  add(g: Acc, si: number, i: number, v: number): void {
    if (i < g.firstStep) {
      g.firstStep = i;
      g.firstIdx = si;
    }
    if (i < g.base || i >= g.base + g.len) this.cover(g, i);
    const { n, a, c } = this;
    const j = g.off + i - g.base;
    const k = n[j] as number;
    n[j] = k + 1;
    switch (this.e.op) {
      case 'sum': {
        // Neumaier step, as kahanSumInc.
        const sum = a[j] as number;
        const t = sum + v;
        if (!Number.isFinite(t) && !Number.isNaN(t)) c[j] = 0;
        else if (Math.abs(sum) >= Math.abs(v)) c[j] = (c[j] as number) + (sum - t + v);
        else c[j] = (c[j] as number) + (v - t + sum);
        a[j] = t;
        break;
      }
      case 'avg': {
        const m = g.means as Array<MeanAccumulator | undefined>;
        const x = i - g.base;
        let acc = m[x];
        if (!acc) m[x] = acc = new MeanAccumulator();
        acc.add(v);
        break;
      }
      case 'min':
      case 'max': {
        const best = a[j] as number;
        if (k === 0 || Number.isNaN(best) || (this.e.op === 'max' ? v > best : v < best)) a[j] = v;
        break;
      }
      default:
        break;
    }
  }

  /** Output series in the order per-step evaluation would first produce them. */
  result(): Series[] {
    const ordered = [...this.groups.values()].sort((x, y) => x.firstStep - y.firstStep || x.firstIdx - y.firstIdx);
    this.groups.clear();
    const out: Series[] = [];
    for (const g of ordered) {
      const points: Point[] = [];
      for (let x = 0; x < g.len; x++) {
        const j = g.off + x;
        if (this.n[j] === 0) continue;
        points.push({ t: this.steps[g.base + x] as number, v: this.value(g, j, x) });
      }
      if (points.length > 0) out.push({ labels: g.labels, points, dropName: g.dropName });
    }
    return out;
  }

  /** The group's value at column index j (step base + x). */
  private value(g: Acc, j: number, x: number): number {
    switch (this.e.op) {
      case 'sum': {
        const s = this.a[j] as number;
        return Number.isFinite(s) ? s + (this.c[j] as number) : s;
      }
      case 'avg':
        return (g.means?.[x] as MeanAccumulator).value();
      case 'count':
        return this.n[j] as number;
      case 'group':
        return 1;
      default:
        return this.a[j] as number;
    }
  }
}

export function aggregateSeries(e: AggregateExpr, input: readonly Series[], steps: readonly number[], stepIndex: (t: number) => number): Series[] {
  const agg = new SeriesAggregator(e, steps);
  for (let si = 0; si < input.length; si++) {
    const s = input[si] as Series;
    let g: Acc | undefined;
    for (const p of s.points) {
      const i = stepIndex(p.t);
      if (!(i >= 0 && i < steps.length)) continue;
      g ??= agg.open(s.labels, s.dropName, si);
      agg.add(g, si, i, p.v);
    }
  }
  return agg.result();
}

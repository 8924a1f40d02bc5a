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
   * Per-step state for steps [base, base + n.length): grown as the group's series reach new steps,
   * so a group whose series exist for a few steps of a long range holds those steps only.
   */
  base: number;
  n: Uint32Array;
  a: Float64Array;
  c: Float64Array;
  means?: Array<MeanAccumulator | undefined>;
}

const EMPTY_U32 = new Uint32Array(0);
const EMPTY_F64 = new Float64Array(0);

/**
 * Series-at-a-time evaluation of `sum`/`avg`/`count`/`group`/`min`/`max` over all steps: each
 * input series is grouped once, and its values fold into per-(group, step) accumulators in input
 * order, so every step sees the same values in the same order as the per-step aggregate().
 * Series must be offered in input-vector order (open, then its points in step order).
 */
export class SeriesAggregator {
  private readonly groups = new Map<string, Acc>();
  /** Which per-step arrays the operator needs besides the counts. */
  private readonly needsA: boolean;
  private readonly needsC: boolean;

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
      g = { labels, dropName: false, firstStep: Infinity, firstIdx: si, base: 0, n: EMPTY_U32, a: EMPTY_F64, c: EMPTY_F64, ...(this.e.op === 'avg' ? { means: [] } : {}) };
      this.groups.set(key, g);
    }
    if (dropName && labels.__name__ !== undefined) g.dropName = true;
    return g;
  }

  /** Makes g's arrays cover step i: doubles the covered span (within the query's steps) and copies. */
  private cover(g: Acc, i: number): void {
    const len = g.n.length;
    const total = this.steps.length;
    let lo: number;
    let hi: number;
    if (len === 0) {
      lo = i;
      hi = Math.min(total, i + 16);
    } else {
      const grow = Math.max(16, len);
      lo = i < g.base ? Math.max(0, Math.min(i, g.base - grow)) : g.base;
      hi = i >= g.base + len ? Math.min(total, Math.max(i + 1, g.base + len + grow)) : g.base + len;
    }
    const at = len === 0 ? 0 : g.base - lo;
    const n = new Uint32Array(hi - lo);
    if (len > 0) n.set(g.n, at);
    g.n = n;
    if (this.needsA) {
      const a = new Float64Array(hi - lo);
      if (len > 0) a.set(g.a, at);
      g.a = a;
    }
    if (this.needsC) {
      const c = new Float64Array(hi - lo);
      if (len > 0) c.set(g.c, at);
      g.c = c;
    }
    if (g.means) g.means = [...new Array<MeanAccumulator | undefined>(at), ...g.means, ...new Array<MeanAccumulator | undefined>(Math.max(0, hi - lo - at - g.means.length))];
    g.base = lo;
  }

  /** Folds value v of series si into its group at step index i. */
  add(g: Acc, si: number, i: number, v: number): void {
    if (i < g.firstStep) {
      g.firstStep = i;
      g.firstIdx = si;
    }
    if (i < g.base || i >= g.base + g.n.length) this.cover(g, i);
    const { n, a, c } = g;
    const j = i - g.base;
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
        let acc = m[j];
        if (!acc) m[j] = acc = new MeanAccumulator();
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
    const out: Series[] = [];
    for (const g of ordered) {
      const points: Point[] = [];
      for (let j = 0; j < g.n.length; j++) {
        if (g.n[j] === 0) continue;
        points.push({ t: this.steps[g.base + j] as number, v: value(this.e.op, g, j) });
      }
      if (points.length > 0) out.push({ labels: g.labels, points, dropName: g.dropName });
    }
    return out;
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

function value(op: string, g: Acc, i: number): number {
  switch (op) {
    case 'sum': {
      const s = g.a[i] as number;
      return Number.isFinite(s) ? s + (g.c[i] as number) : s;
    }
    case 'avg':
      return (g.means?.[i] as MeanAccumulator).value();
    case 'count':
      return g.n[i] as number;
    case 'group':
      return 1;
    default:
      return g.a[i] as number;
  }
}

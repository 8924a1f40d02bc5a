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
  readonly n: Uint32Array;
  readonly a: Float64Array;
  readonly c: Float64Array;
  readonly means?: Array<MeanAccumulator | undefined>;
}

/**
 * Series-at-a-time evaluation of `sum`/`avg`/`count`/`group`/`min`/`max` over all steps: each
 * input series is grouped once, and its values fold into per-(group, step) accumulators in input
 * order, so every step sees the same values in the same order as the per-step aggregate().
 * Series must be offered in input-vector order (open, then its points in step order).
 */
export class SeriesAggregator {
  private readonly groups = new Map<string, Acc>();

  constructor(
    private readonly e: AggregateExpr,
    private readonly steps: readonly number[],
  ) {}

  /** The accumulator of the group series `si` (an increasing input index) belongs to. */
  open(labelsIn: Labels, dropName: boolean | undefined, si: number): Acc {
    const labels = groupLabels(this.e, labelsIn);
    const key = labelsKey(labels);
    let g = this.groups.get(key);
    if (!g) {
      const n = this.steps.length;
      g = { labels, dropName: false, firstStep: Infinity, firstIdx: si, n: new Uint32Array(n), a: new Float64Array(n), c: new Float64Array(n), ...(this.e.op === 'avg' ? { means: new Array<MeanAccumulator | undefined>(n) } : {}) };
      this.groups.set(key, g);
    }
    if (dropName && labels.__name__ !== undefined) g.dropName = true;
    return g;
  }

  /** Folds value v of series si into its group at step index i. */
  add(g: Acc, si: number, i: number, v: number): void {
    if (i < g.firstStep) {
      g.firstStep = i;
      g.firstIdx = si;
    }
    const { n, a, c } = g;
    const k = n[i] as number;
    n[i] = k + 1;
    switch (this.e.op) {
      case 'sum': {
        // Neumaier step, as kahanSumInc.
        const sum = a[i] as number;
        const t = sum + v;
        if (!Number.isFinite(t) && !Number.isNaN(t)) c[i] = 0;
        else if (Math.abs(sum) >= Math.abs(v)) c[i] = (c[i] as number) + (sum - t + v);
        else c[i] = (c[i] as number) + (v - t + sum);
        a[i] = t;
        break;
      }
      case 'avg': {
        const m = g.means as Array<MeanAccumulator | undefined>;
        let acc = m[i];
        if (!acc) m[i] = acc = new MeanAccumulator();
        acc.add(v);
        break;
      }
      case 'min':
      case 'max': {
        const best = a[i] as number;
        if (k === 0 || Number.isNaN(best) || (this.e.op === 'max' ? v > best : v < best)) a[i] = v;
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
      for (let i = 0; i < this.steps.length; i++) {
        if (g.n[i] === 0) continue;
        points.push({ t: this.steps[i] as number, v: value(this.e.op, g, i) });
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

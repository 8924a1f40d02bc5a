import type { Labels } from '../model/labels.js';
import type { AggregateExpr } from './ast.js';
import { groupLabels, kParam } from './aggregations.js';
import { ExecutionError } from './errors.js';
import { DUPLICATE_LABELSET } from './evaluator.js';
import { labelsKey } from './labels-util.js';
import type { Point, Series } from './value.js';

export function canSelectKSeries(e: AggregateExpr): boolean {
  return e.op === 'topk' || e.op === 'bottomk' || e.op === 'limitk';
}

/**
 * The input of a `topk`/`bottomk`/`limitk` as columns: value of series `si` at step `i` in
 * `vals[i * n + si]`, `present[i * n + si]` = 1 when the series has a sample there.
 */
export interface StepColumns {
  readonly n: number;
  readonly labels: readonly Labels[];
  readonly dropName: readonly boolean[];
  readonly vals: Float64Array;
  readonly present: Uint8Array;
}

export function columnsFromSeries(input: readonly Series[], steps: number, stepIndex: (t: number) => number): StepColumns {
  const n = input.length;
  const vals = new Float64Array(n * steps);
  const present = new Uint8Array(n * steps);
  for (let si = 0; si < n; si++) {
    for (const p of (input[si] as Series).points) {
      const i = stepIndex(p.t);
      if (!(i >= 0 && i < steps)) continue;
      vals[i * n + si] = p.v;
      present[i * n + si] = 1;
    }
  }
  return { n, labels: input.map((s) => s.labels), dropName: input.map((s) => s.dropName ?? false), vals, present };
}

/** The ordering of aggregations.ts kCompare on bare values: NaN always loses. */
function compare(top: boolean, a: number, b: number): number {
  const an = Number.isNaN(a);
  const bn = Number.isNaN(b);
  if (an || bn) return an === bn ? 0 : an ? 1 : -1;
  return top ? b - a : a - b;
}

/**
 * Series-at-a-time `topk`/`bottomk`/`limitk` over all steps, equal to running the per-step
 * aggregate() at each step and joining the step vectors by label set (fromStepVectors): same
 * choice among ties (stable order of input), same output series order, labels kept as-is.
 * Group membership is computed once per input series; per step only indices are moved.
 * `params[i]` is the raw k of step i. Returns the series and the number of output samples.
 */
export function selectKSeries(e: AggregateExpr, cols: StepColumns, steps: readonly number[], params: readonly number[]): { series: Series[]; samples: number } {
  const ks = params.map((p) => kParam(p));
  const { n, vals, present } = cols;
  const groupOf = new Uint32Array(n);
  const keys = new Map<string, number>();
  for (let si = 0; si < n; si++) {
    const key = labelsKey(groupLabels(e, cols.labels[si] as Labels));
    let g = keys.get(key);
    if (g === undefined) keys.set(key, (g = keys.size));
    groupOf[si] = g;
  }
  const nGroups = keys.size;
  const buckets: number[][] = Array.from({ length: nGroups }, () => []);
  const order: number[] = [];
  // Output series per input series, created on first choice; series with equal label sets share one.
  const outOf = new Array<Series | undefined>(n);
  const byKey = new Map<string, Series>();
  const out: Series[] = [];
  const top = e.op === 'topk';
  let base = 0;
  const cmp = (a: number, b: number): number => compare(top, vals[base + a] as number, vals[base + b] as number);
  let total = 0;
  for (let i = 0; i < steps.length; i++) {
    const k = ks[i] as number;
    if (k < 1) continue;
    base = i * n;
    order.length = 0;
    for (let si = 0; si < n; si++) {
      if (present[base + si] === 0) continue;
      const b = buckets[groupOf[si] as number] as number[];
      if (b.length === 0) order.push(groupOf[si] as number);
      b.push(si);
    }
    const t = steps[i] as number;
    for (const g of order) {
      const b = buckets[g] as number[];
      const chosen = e.op === 'limitk' ? b.slice(0, k) : firstK(b, k, cmp);
      b.length = 0;
      for (const si of chosen) {
        let s = outOf[si];
        if (!s) {
          const key = labelsKey(cols.labels[si] as Labels);
          s = byKey.get(key);
          if (!s) {
            s = { labels: cols.labels[si] as Labels, points: [], dropName: false };
            byKey.set(key, s);
            out.push(s);
          }
          outOf[si] = s;
        }
        const last = s.points[s.points.length - 1];
        if (last && last.t === t) throw new ExecutionError(DUPLICATE_LABELSET);
        (s.points as Point[]).push({ t, v: vals[base + si] as number });
        if (cols.dropName[si]) s.dropName = true;
        total++;
      }
    }
  }
  return { series: out, samples: total };
}

/** aggregations.ts firstK over series indices: the first k of a stable sort by `cmp`. */
function firstK(idx: readonly number[], k: number, cmp: (a: number, b: number) => number): number[] {
  if (k >= idx.length || k > 64) return [...idx].sort(cmp).slice(0, k);
  const best: number[] = [];
  for (const s of idx) {
    if (best.length === k && cmp(s, best[k - 1] as number) >= 0) continue;
    let j = best.length;
    while (j > 0 && cmp(s, best[j - 1] as number) < 0) j--;
    best.splice(j, 0, s);
    if (best.length > k) best.pop();
  }
  return best;
}

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

/**
 * One spare pair of column buffers, reused by the next topk/bottomk/limitk over a selector: big
 * typed arrays are off-heap, and allocating a fresh pair per query drives V8's external-memory
 * GC. Columns are only alive during one synchronous evalSelectK, so a single spare suffices;
 * one taken while the spare is out (nesting) is simply allocated. Kept only up to MAX_SPARE
 * entries (series × steps, 9 bytes each: at most 9 MiB retained).
 */
let spare: { vals: Float64Array; present: Uint8Array } | undefined;
const MAX_SPARE = 1 << 20;

/** Zeroed `present` and (unzeroed: read only where present) `vals` columns of `size` entries. */
export function takeColumns(size: number): { vals: Float64Array; present: Uint8Array } {
  const s = spare;
  if (s !== undefined && s.vals.length >= size) {
    spare = undefined;
    const present = s.present.subarray(0, size);
    present.fill(0);
    return { vals: s.vals.subarray(0, size), present };
  }
  return { vals: new Float64Array(size), present: new Uint8Array(size) };
}

/** Returns columns from takeColumns(); the caller must not use them afterwards. */
export function releaseColumns(cols: StepColumns): void {
  const vals = new Float64Array(cols.vals.buffer);
  if (vals.length > MAX_SPARE || (spare !== undefined && spare.vals.length >= vals.length)) return;
  spare = { vals, present: new Uint8Array(cols.present.buffer) };
}

export function columnsFromSeries(input: readonly Series[], steps: number, stepIndex: (t: number) => number): StepColumns {
  const n = input.length;
  const { vals, present } = takeColumns(n * steps);
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
  // Per step, the present series of each group, in input order. Bucket arrays keep their capacity
  // across steps (lengths live in `blen`), so steps allocate nothing.
  const buckets: number[][] = Array.from({ length: nGroups }, () => []);
  const blen = new Int32Array(nGroups);
  const order: number[] = [];
  // Output series per input series, created on first choice; series with equal label sets share one.
  const outOf = new Array<Series | undefined>(n);
  const byKey = new Map<string, Series>();
  const out: Series[] = [];
  const top = e.op === 'topk';
  const chosen: number[] = [];
  let total = 0;
  for (let i = 0; i < steps.length; i++) {
    const k = ks[i] as number;
    if (k < 1) continue;
    const base = i * n;
    order.length = 0;
    for (let si = 0; si < n; si++) {
      if (present[base + si] === 0) continue;
      const g = groupOf[si] as number;
      const len = blen[g] as number;
      if (len === 0) order.push(g);
      (buckets[g] as number[])[len] = si;
      blen[g] = len + 1;
    }
    const t = steps[i] as number;
    for (const g of order) {
      const b = buckets[g] as number[];
      const len = blen[g] as number;
      blen[g] = 0;
      if (e.op === 'limitk') {
        chosen.length = 0;
        for (let j = 0; j < len && j < k; j++) chosen.push(b[j] as number);
      } else firstK(b, len, k, vals, base, top, chosen);
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

/** Whether value a sorts strictly before b: the larger first for topk, the smaller for bottomk, NaN last. */
function before(top: boolean, a: number, b: number): boolean {
  if (Number.isNaN(a)) return false;
  if (Number.isNaN(b)) return true;
  return top ? a > b : a < b;
}

/**
 * aggregations.ts firstK over series indices: into `chosen`, the first k of a stable sort of
 * idx[0, len) by value (vals[base + si]). Ties keep input order, as a stable sort does.
 */
function firstK(idx: readonly number[], len: number, k: number, vals: Float64Array, base: number, top: boolean, chosen: number[]): void {
  chosen.length = 0;
  if (k > 64 && len > 64) {
    // Insertion would be O(len * k): a stable sort instead.
    const all = idx.slice(0, len).sort((a, b) => {
      const va = vals[base + a] as number;
      const vb = vals[base + b] as number;
      return before(top, va, vb) ? -1 : before(top, vb, va) ? 1 : 0;
    });
    for (let i = 0; i < all.length && i < k; i++) chosen.push(all[i] as number);
    return;
  }
  for (let i = 0; i < len; i++) {
    const si = idx[i] as number;
    const v = vals[base + si] as number;
    const m = chosen.length;
    if (m === k && !before(top, v, vals[base + (chosen[m - 1] as number)] as number)) continue;
    let j = m;
    while (j > 0 && before(top, v, vals[base + (chosen[j - 1] as number)] as number)) j--;
    if (m < k) chosen.push(0);
    for (let x = Math.min(m, k - 1); x > j; x--) chosen[x] = chosen[x - 1] as number;
    chosen[j] = si;
  }
}

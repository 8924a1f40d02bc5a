import { isStaleNaN } from '../model/sample.js';
import type { VectorSelector } from './ast.js';
import { durationMs } from './duration-expr.js';
import type { RangeSink } from './eval-call.js';
import type { Evaluator, RangeSource } from './evaluator.js';
import type { Labels } from '../model/labels.js';
import { lowerBound } from '../storage/lower-bound.js';

/**
 * A plain instant selector (no `smoothed`) evaluated straight into `sink`, series by series and
 * step by step in the order Evaluator.evalSelector would produce its points, without building
 * them: `count by (instance) (x)` over many series holds the aggregation's groups only, not every
 * selected point as well. Work is counted as evalSelector counts it; points folded as they come
 * are not held, so they do not count against max-samples (as for range functions into a sink).
 */
export async function selectInto<H>(ev: Evaluator, e: VectorSelector, sink: RangeSink<H>): Promise<void> {
  const ctx = ev.ctx;
  const data = ctx.series.get(e) ?? [];
  const times = ev.selectorTimes(ev.atTime(e.at), durationMs(e.offset, ctx.durations));
  const lookback = ctx.lookbackMs;
  for (let si = 0; si < data.length; si++) {
    if (ctx.due()) await ctx.yield();
    const s = data[si] as (typeof data)[number];
    const tss = s.timestamps;
    const vs = s.values;
    const len = tss.length;
    const [k0, k1] = selectorSpan(times, tss, lookback);
    ctx.work(k1 - k0 + 1);
    let handle: H | undefined;
    let j = 0;
    for (let k = k0; k < k1; k++) {
      const t = times[k] as number;
      while (j < len && (tss[j] as number) < t + 1) j++;
      const i = j - 1;
      if (i < 0) continue;
      if ((tss[i] as number) <= t - lookback) continue;
      const v = vs[i] as number;
      if (Number.isNaN(v) && isStaleNaN(v)) continue; // NaN check first: a call would box every value
      handle ??= sink.open(s.labels, false, si);
      sink.add(handle, si, k, v);
    }
  }
}

/**
 * A plain instant selector evaluated at every step of `ev` as the sample columns of a range
 * operand (a subquery `x[1d:1m]`): per series, the step times and values it has, in
 * Evaluator.evalSelector's order, without a point object per step. Points held count against
 * max-samples, as the selector's own output would.
 */
export async function selectColumns(ev: Evaluator, e: VectorSelector): Promise<RangeSource['series']> {
  const out: Array<{ labels: Labels; ts: number[]; vs: number[]; dropName: boolean }> = [];
  let held = 0;
  const steps = ev.steps;
  await selectInto(ev, e, {
    open(labels) {
      ev.ctx.samples(held);
      const h = { labels, ts: [] as number[], vs: [] as number[], dropName: false };
      out.push(h);
      return h;
    },
    add(h, _si, k, v) {
      h.ts.push(steps[k] as number);
      h.vs.push(v);
      held++;
    },
  });
  ev.ctx.samples(held);
  return out;
}

/**
 * The steps [lo, hi) at which an instant selector can find a sample of a series whose samples span
 * [first, last]: a step sees the latest sample at or before it, no older than the lookback. `times`
 * ascends (or is constant under `@`), so series that exist for a small part of a long range (churned
 * pods, a burst of new series) cost their own steps, not every step of the query.
 */
export function selectorSpan(times: Float64Array, tss: ArrayLike<number>, lookback: number): [number, number] {
  const len = tss.length;
  if (len === 0) return [0, 0];
  const lo = lowerBound(times, tss[0] as number);
  const hi = lowerBound(times, (tss[len - 1] as number) + lookback);
  return [lo, Math.max(lo, hi)];
}

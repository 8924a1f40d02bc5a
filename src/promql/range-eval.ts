import { isStaleNaN } from '../model/sample.js';
import type { RangeSource } from './evaluator.js';
import type { Point } from './value.js';

type SourceSeries = RangeSource['series'][number];

/**
 * One series of a range-vector operand prepared once per query: stale markers dropped (when the
 * source asks for it) and points materialised once, so each step's window is a slice instead of
 * a fresh copy. Windows move forward monotonically with the steps, so their bounds slide.
 */
export class SeriesWindows {
  readonly ts: ArrayLike<number>;
  readonly vs: ArrayLike<number>;
  readonly sts: ArrayLike<number> | undefined;
  private pts: Point[] | undefined;
  private stsArr: number[] | undefined;
  lo = 0;
  hi = 0;

  constructor(src: RangeSource, s: SourceSeries) {
    let stale = 0;
    if (src.skipStale) {
      // NaN check first: calling isStaleNaN for every value would box each one.
      for (let i = 0; i < s.vs.length; i++) {
        const v = s.vs[i] as number;
        if (Number.isNaN(v) && isStaleNaN(v)) stale++;
      }
    }
    if (stale === 0) {
      this.ts = s.ts;
      this.vs = s.vs;
      this.sts = s.sts;
      return;
    }
    const n = s.vs.length - stale;
    const ts = new Float64Array(n);
    const vs = new Float64Array(n);
    const sts = s.sts ? new Float64Array(n) : undefined;
    let j = 0;
    for (let i = 0; i < s.vs.length; i++) {
      const v = s.vs[i] as number;
      if (Number.isNaN(v) && isStaleNaN(v)) continue;
      ts[j] = s.ts[i] as number;
      vs[j] = v;
      if (sts) sts[j] = s.sts?.[i] as number;
      j++;
    }
    this.ts = ts;
    this.vs = vs;
    this.sts = sts;
  }

  /** Moves [lo, hi) to the samples with from <= t < to; bounds must not decrease between calls. */
  slide(from: number, to: number): void {
    const ts = this.ts;
    const n = ts.length;
    if (this.lo > 0 && (ts[this.lo - 1] as number) >= from) this.lo = 0;
    if (this.hi > 0 && (ts[this.hi - 1] as number) >= to) this.hi = 0;
    let lo = this.lo;
    while (lo < n && (ts[lo] as number) < from) lo++;
    let hi = Math.max(this.hi, lo);
    while (hi < n && (ts[hi] as number) < to) hi++;
    this.lo = lo;
    this.hi = hi;
  }

  points(): Point[] {
    if (!this.pts) {
      const pts: Point[] = new Array<Point>(this.ts.length);
      for (let i = 0; i < pts.length; i++) pts[i] = { t: this.ts[i] as number, v: this.vs[i] as number };
      this.pts = pts;
    }
    return this.pts.slice(this.lo, this.hi);
  }

  startTimestamps(): number[] | undefined {
    if (!this.sts) return undefined;
    this.stsArr ??= Array.from(this.sts);
    return this.stsArr.slice(this.lo, this.hi);
  }
}

/**
 * Prometheus's extrapolatedRate over samples [lo, hi) of plain (no start timestamps, no
 * modifier) columns; the same arithmetic as functions/rate.ts, without building point objects.
 * Requires at least two samples (hi - lo >= 2; with fewer the functions return no value), so the
 * result is always a number and the hot loop never boxes it.
 */
export function extrapolatedRate(ts: ArrayLike<number>, vs: ArrayLike<number>, lo: number, hi: number, t: number, rangeMs: number, isCounter: boolean, isRate: boolean): number {
  const n = hi - lo;
  const firstT = ts[lo] as number;
  const firstV = vs[lo] as number;
  const lastT = ts[hi - 1] as number;
  let result = (vs[hi - 1] as number) - firstV;
  if (isCounter) {
    let prev = firstV;
    for (let i = lo + 1; i < hi; i++) {
      const cur = vs[i] as number;
      if (cur < prev) result += prev;
      prev = cur;
    }
  }
  let durationToStart = (firstT - (t - rangeMs)) / 1000;
  let durationToEnd = (t - lastT) / 1000;
  const sampledInterval = (lastT - firstT) / 1000;
  const avgBetween = sampledInterval / (n - 1);
  const threshold = avgBetween * 1.1;
  if (durationToStart >= threshold) durationToStart = avgBetween / 2;
  if (isCounter) {
    let durationToZero = durationToStart;
    if (result > 0 && firstV >= 0) durationToZero = sampledInterval * (firstV / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  if (durationToEnd >= threshold) durationToEnd = avgBetween / 2;
  let factor = sampledInterval !== 0 ? (sampledInterval + durationToStart + durationToEnd) / sampledInterval : 1;
  if (isRate) factor /= rangeMs / 1000;
  return result * factor;
}

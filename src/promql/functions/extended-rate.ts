import type { Point } from '../value.js';
import type { RangeWindow } from './types.js';

/** Linear interpolation at t; across a counter reset the counter is modelled as restarting from 0. */
export function interpolate(p1: Point, p2: Point, t: number, isCounter: boolean): number {
  let y1 = p1.v;
  const y2 = p2.v;
  if (isCounter && y2 < y1) y1 = 0;
  return y1 + ((y2 - y1) * (t - p1.t)) / (p2.t - p1.t);
}

/** First index in [0, n) whose time satisfies `pred`, else n (Go's sort.Search over n elements). */
function search(points: readonly Point[], n: number, pred: (p: Point) => boolean): number {
  for (let i = 0; i < n; i++) if (pred(points[i] as Point)) return i;
  return n;
}

/**
 * rate/increase/delta over an `anchored` or `smoothed` window: the difference between the values
 * at the range boundaries (the last sample at or before the start, or interpolated when smoothed),
 * with counter resets inside the range added back. No extrapolation.
 */
export function extendedRate(w: RangeWindow, isCounter: boolean, isRate: boolean): number | undefined {
  const f = w.points;
  if (f.length === 0) return undefined;
  const smoothed = w.modifier === 'smoothed';
  const rangeStart = w.t - w.rangeMs;
  const rangeEnd = w.t;
  let last = f.length - 1;
  let first = Math.max(0, search(f, last, (p) => p.t > rangeStart) - 1);
  if (smoothed) last = search(f, last, (p) => p.t >= rangeEnd);
  if ((f[last] as Point).t <= rangeStart) return undefined;
  const fp = f[first] as Point;
  if (smoothed && fp.t > rangeEnd) return undefined;
  const left = smoothed && fp.t < rangeStart ? interpolate(fp, f[first + 1] as Point, rangeStart, isCounter) : fp.v;
  const lp = f[last] as Point;
  const right = smoothed && last > 0 && lp.t > rangeEnd ? interpolate(f[last - 1] as Point, lp, rangeEnd, isCounter) : lp.v;
  let result = right - left;
  if (isCounter) {
    if (fp.t <= rangeStart) first++;
    if (lp.t >= rangeEnd) last--;
    let prev = left;
    for (let i = first; i <= last; i++) {
      const v = (f[i] as Point).v;
      if (v < prev) result += prev;
      prev = v;
    }
    if (right < prev) result += prev;
  }
  if (isRate) result /= w.rangeMs / 1000;
  return result;
}

/** For anchored windows: drops samples before the anchor (the last one at or before the range start). */
export function anchoredPoints(w: RangeWindow): readonly Point[] | undefined {
  if (w.modifier !== 'anchored') return w.points;
  const rangeStart = w.t - w.rangeMs;
  const lastLE = search(w.points, w.points.length, (p) => p.t > rangeStart) - 1;
  if (lastLE + 1 >= w.points.length) return undefined;
  return lastLE < 0 ? w.points : w.points.slice(lastLE);
}

import { ExecutionError } from '../errors.js';
import { formatGoFloat } from '../format.js';
import type { RangeFunctionDef } from './types.js';
import { rangeFn } from './rate.js';
import { anchoredPoints } from './extended-rate.js';
import { isStartTimestampReset } from './start-timestamps.js';
import { kahanSum, MeanAccumulator, quantile, VarianceAccumulator } from './stats.js';

type Pt = { t: number; v: number };

function nonEmpty(f: (pts: readonly Pt[]) => number): RangeFunctionDef['call'] {
  return (w) => (w.points.length === 0 ? undefined : f(w.points));
}

function minMax(isMax: boolean) {
  return (pts: readonly Pt[]): number => {
    let best = (pts[0] as Pt).v;
    for (const p of pts) {
      if (Number.isNaN(best) || (isMax ? p.v > best : p.v < best)) best = p.v;
    }
    return best;
  };
}

function tsOf(select: (pts: readonly Pt[]) => number) {
  return (pts: readonly Pt[]): number => {
    const target = select(pts);
    let t = (pts[0] as Pt).t;
    for (const p of pts) if (p.v === target || (Number.isNaN(target) && Number.isNaN(p.v))) t = p.t;
    return t / 1000;
  };
}

function holtWinters(w: { points: readonly Pt[] }, p: readonly number[]): number | undefined {
  const sf = p[0] as number;
  const tf = p[1] as number;
  if (!(sf > 0 && sf < 1)) throw new ExecutionError(`invalid smoothing factor. Expected: 0 < sf < 1, got: ${sf}`);
  if (!(tf > 0 && tf < 1)) throw new ExecutionError(`invalid trend factor. Expected: 0 < tf < 1, got: ${tf}`);
  const s = w.points;
  if (s.length < 2) return undefined;
  let s0 = 0;
  let s1 = (s[0] as Pt).v;
  let b = (s[1] as Pt).v - s1;
  for (let i = 1; i < s.length; i++) {
    const x = sf * (s[i] as Pt).v;
    if (i > 1) b = tf * (s1 - s0) + (1 - tf) * b;
    const y = (1 - sf) * (s1 + b);
    s0 = s1;
    s1 = x + y;
  }
  return s1;
}

function changes(pts: readonly Pt[]): number {
  let n = 0;
  for (let i = 1; i < pts.length; i++) {
    const a = (pts[i - 1] as Pt).v;
    const b = (pts[i] as Pt).v;
    if (a !== b && !(Number.isNaN(a) && Number.isNaN(b))) n++;
  }
  return n;
}

function resets(pts: readonly Pt[], sts: readonly number[] | undefined): number {
  let n = 0;
  for (let i = 1; i < pts.length; i++) {
    const prev = pts[i - 1] as Pt;
    const cur = pts[i] as Pt;
    if (cur.v < prev.v || (sts !== undefined && isStartTimestampReset(sts[i - 1] as number, prev.t, sts[i] as number, cur.t))) n++;
  }
  return n;
}

export const OVER_TIME_FUNCTIONS: RangeFunctionDef[] = [
  rangeFn('avg_over_time', nonEmpty((pts) => {
    const m = new MeanAccumulator();
    for (const p of pts) m.add(p.v);
    return m.value();
  })),
  rangeFn('sum_over_time', nonEmpty((pts) => kahanSum(pts.map((p) => p.v)))),
  rangeFn('count_over_time', nonEmpty((pts) => pts.length)),
  rangeFn('min_over_time', nonEmpty(minMax(false))),
  rangeFn('max_over_time', nonEmpty(minMax(true))),
  { ...rangeFn('last_over_time', nonEmpty((pts) => (pts[pts.length - 1] as Pt).v)), keepName: true },
  { ...rangeFn('first_over_time', nonEmpty((pts) => (pts[0] as Pt).v)), keepName: true },
  rangeFn('present_over_time', nonEmpty(() => 1)),
  rangeFn('stddev_over_time', nonEmpty((pts) => {
    const a = new VarianceAccumulator();
    for (const p of pts) a.add(p.v);
    return Math.sqrt(a.variance());
  })),
  rangeFn('stdvar_over_time', nonEmpty((pts) => {
    const a = new VarianceAccumulator();
    for (const p of pts) a.add(p.v);
    return a.variance();
  })),
  rangeFn(
    'quantile_over_time',
    (w, p, fx) => {
      if (w.points.length === 0) return undefined;
      const q = p[0] as number;
      if (!(q >= 0 && q <= 1)) fx.annotate('warn', `quantile value should be between 0 and 1, got ${formatGoFloat(q)}`, 0);
      return quantile(q, w.points.map((x) => x.v));
    },
    ['scalar'],
    1,
  ),
  rangeFn('mad_over_time', nonEmpty((pts) => {
    const vals = pts.map((p) => p.v);
    if (vals.some(Number.isNaN)) return NaN;
    const med = quantile(0.5, vals);
    return quantile(0.5, vals.map((v) => Math.abs(v - med)));
  })),
  rangeFn('ts_of_max_over_time', nonEmpty(tsOf(minMax(true)))),
  rangeFn('ts_of_min_over_time', nonEmpty(tsOf(minMax(false)))),
  rangeFn('ts_of_last_over_time', nonEmpty((pts) => (pts[pts.length - 1] as Pt).t / 1000)),
  rangeFn('ts_of_first_over_time', nonEmpty((pts) => (pts[0] as Pt).t / 1000)),
  rangeFn('changes', (w) => {
    const pts = anchoredPoints(w);
    return pts === undefined || pts.length === 0 ? undefined : changes(pts);
  }),
  rangeFn('resets', (w) => {
    const pts = anchoredPoints(w);
    if (pts === undefined || pts.length === 0) return undefined;
    const sts = w.startTimestamps?.slice(w.points.length - pts.length);
    return resets(pts, sts);
  }),
  rangeFn('double_exponential_smoothing', holtWinters, ['scalar', 'scalar']),
  // The Prometheus 2.x name of double_exponential_smoothing, kept so existing rule files still load.
  rangeFn('holt_winters', holtWinters, ['scalar', 'scalar']),
];

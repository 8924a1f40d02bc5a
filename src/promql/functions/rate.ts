import type { FnContext, RangeFunctionDef, RangeWindow } from './types.js';
import { isStartTimestampReset, overlapWarning, startTimeOverlaps } from './start-timestamps.js';
import { linearRegression } from './stats.js';
import { extendedRate } from './extended-rate.js';

/**
 * Prometheus's extrapolatedRate: the increase between the first and last sample in the
 * window, extrapolated towards the window edges (at most half an average sample interval,
 * and for counters never below zero).
 */
function extrapolatedRate(w: RangeWindow, isCounter: boolean, isRate: boolean, fx: FnContext): number | undefined {
  if (w.modifier) return extendedRate(w, isCounter, isRate);
  const s = w.points;
  if (s.length === 0) return undefined;
  const sts = isCounter ? w.startTimestamps : undefined;
  const first = s[0] as { t: number; v: number };
  const last = s[s.length - 1] as { t: number; v: number };
  const rangeStart = w.t - w.rangeMs;
  const rangeEnd = w.t;
  let result = last.v - first.v;
  if (isCounter) {
    let overlap = false;
    for (let i = 1; i < s.length; i++) {
      const prev = s[i - 1] as { t: number; v: number };
      const cur = s[i] as { t: number; v: number };
      if (sts && !overlap && startTimeOverlaps(sts[i - 1] as number, prev.t, sts[i] as number)) {
        fx.annotate('warn', overlapWarning(w.metricName), 0);
        overlap = true;
      }
      if (cur.v < prev.v || (sts !== undefined && isStartTimestampReset(sts[i - 1] as number, prev.t, sts[i] as number, cur.t))) result += prev.v;
    }
  }
  let durationToStart = (first.t - rangeStart) / 1000;
  let durationToEnd = (rangeEnd - last.t) / 1000;
  let sampledInterval = (last.t - first.t) / 1000;
  const avgBetween = s.length > 1 ? sampledInterval / (s.length - 1) : 0;
  const threshold = avgBetween * 1.1;
  const firstST = sts?.[0] ?? 0;
  if (firstST !== 0 && firstST > rangeStart && firstST < first.t) {
    // The first sample's start lies inside the range: assume a zero-valued sample there instead of extrapolating.
    durationToStart = 0;
    sampledInterval = (last.t - firstST) / 1000;
    result += first.v;
  } else if (s.length === 1) {
    return undefined;
  } else {
    if (durationToStart >= threshold) durationToStart = avgBetween / 2;
    if (isCounter) {
      let durationToZero = durationToStart;
      if (result > 0 && first.v >= 0) durationToZero = sampledInterval * (first.v / result);
      if (durationToZero < durationToStart) durationToStart = durationToZero;
    }
  }
  if (durationToEnd >= threshold) durationToEnd = avgBetween / 2;
  let factor = sampledInterval !== 0 ? (sampledInterval + durationToStart + durationToEnd) / sampledInterval : 1;
  if (isRate) factor /= w.rangeMs / 1000;
  return result * factor;
}

function instantValue(w: RangeWindow, isRate: boolean): number | undefined {
  const s = w.points;
  if (s.length < 2) return undefined;
  const last = s[s.length - 1] as { t: number; v: number };
  const prev = s[s.length - 2] as { t: number; v: number };
  const sts = w.startTimestamps;
  const reset = last.v < prev.v || (sts !== undefined && isStartTimestampReset(sts[s.length - 2] as number, prev.t, sts[s.length - 1] as number, last.t));
  let result = isRate && reset ? last.v : last.v - prev.v;
  const interval = (last.t - prev.t) / 1000;
  if (interval === 0) return undefined;
  if (isRate) result /= interval;
  return result;
}

function rangeFn(name: string, call: RangeFunctionDef['call'], extraArgs: Array<'scalar'> = [], rangeArg = 0): RangeFunctionDef {
  const argTypes = rangeArg === 0 ? (['matrix', ...extraArgs] as const) : ([...extraArgs, 'matrix'] as const);
  return { kind: 'range', name, argTypes: [...argTypes], variadic: 0, returnType: 'vector', rangeArg, call };
}

export const RATE_FUNCTIONS: RangeFunctionDef[] = [
  rangeFn('rate', (w, _p, fx) => extrapolatedRate(w, true, true, fx)),
  rangeFn('increase', (w, _p, fx) => extrapolatedRate(w, true, false, fx)),
  rangeFn('delta', (w, _p, fx) => extrapolatedRate(w, false, false, fx)),
  rangeFn('irate', (w) => instantValue(w, true)),
  rangeFn('idelta', (w) => instantValue(w, false)),
  rangeFn('deriv', (w) => {
    if (w.points.length < 2) return undefined;
    return linearRegression(w.points, (w.points[0] as { t: number }).t)[0];
  }),
  rangeFn(
    'predict_linear',
    (w, p) => {
      if (w.points.length < 2) return undefined;
      const [slope, intercept] = linearRegression(w.points, w.evalT);
      return slope * (p[0] as number) + intercept;
    },
    ['scalar'],
  ),
];

export { rangeFn };

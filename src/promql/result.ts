import { ExecutionError } from './errors.js';
import { DUPLICATE_LABELSET, type EvalValue, type Evaluator } from './evaluator.js';
import { compareFlat, labelsKey, sortByLabels, sortByLabelsFlat, withoutName } from './labels-util.js';
import type { Labels } from '../model/labels.js';
import { interpolate } from './functions/extended-rate.js';
import type { Point } from './value.js';
import type { Annotations, Matrix, QueryResult, Series, Vector } from './value.js';
import { pushAll } from '../model/arrays.js';

function annotations(ev: Evaluator): Annotations {
  return { warnings: [...ev.ctx.warnings], infos: [...ev.ctx.infos] };
}

/** Applies pending `__name__` removals (delayed name removal). */
function cleanup(series: readonly Series[]): Series[] {
  return series.map((s) => (s.dropName ? { labels: withoutName(s.labels), points: s.points } : { labels: s.labels, points: s.points }));
}

export function finishInstant(value: EvalValue, ev: Evaluator, t: number): QueryResult {
  return { ...instantResult(value, ev, t), ...annotations(ev) } as QueryResult;
}

function instantResult(value: EvalValue, ev: Evaluator, t: number): Omit<QueryResult, 'warnings' | 'infos'> {
  switch (value.kind) {
    case 'scalar':
      return { resultType: 'scalar', result: { t, v: value.values[0] ?? NaN } };
    case 'string':
      return { resultType: 'string', result: { t, v: value.value } };
    case 'vector': {
      const vec: Vector = [];
      const seen = new Set<string>();
      for (const s of cleanup(value.series)) {
        const p = s.points[0];
        if (!p) continue;
        const key = labelsKey(s.labels);
        if (seen.has(key)) throw new ExecutionError(DUPLICATE_LABELSET);
        seen.add(key);
        vec.push({ labels: s.labels, t, v: p.v });
      }
      return { resultType: 'vector', result: vec };
    }
    case 'matrix': {
      const src = value.source;
      const out: Matrix = [];
      for (const s of src.series) {
        const raw = ev.window(src, s, t);
        const w = src.modifier ? { points: extendPoints(raw.points, raw.t - src.rangeMs, raw.t, src.modifier === 'smoothed') } : raw;
        if (w.points.length > 0) out.push({ labels: s.dropName ? withoutName(s.labels) : s.labels, points: w.points });
      }
      sortByLabels(out, (x) => x.labels);
      return { resultType: 'matrix', result: out };
    }
    default: {
      const never: never = value;
      return never;
    }
  }
}

/** The window of an anchored/smoothed range selector as a raw result: boundary points at the range edges. */
function extendPoints(f: readonly Point[], mint: number, maxt: number, smoothed: boolean): Point[] {
  if (f.length === 0) return [];
  let last = f.length - 1;
  const searchN = (n: number, pred: (p: Point) => boolean): number => {
    for (let i = 0; i < n; i++) if (pred(f[i] as Point)) return i;
    return n;
  };
  let first = Math.max(0, searchN(last, (p) => p.t > mint) - 1);
  if (smoothed) last = searchN(last, (p) => p.t >= maxt);
  if ((f[last] as Point).t <= mint) return [];
  const fp = f[first] as Point;
  const lp = f[last] as Point;
  const left = smoothed && fp.t < mint ? interpolate(fp, f[first + 1] as Point, mint, false) : fp.v;
  const right = smoothed && last > 0 && lp.t > maxt ? interpolate(f[last - 1] as Point, lp, maxt, false) : lp.v;
  if (fp.t <= mint) first++;
  if (lp.t >= maxt) last--;
  return [{ t: mint, v: left }, ...f.slice(first, Math.max(first, last + 1)), { t: maxt, v: right }];
}

export function finishRange(value: EvalValue, ev: Evaluator): QueryResult {
  let series: Series[];
  if (value.kind === 'scalar') series = [{ labels: {}, points: value.values.map((v, i) => ({ t: ev.steps[i] as number, v })) }];
  else if (value.kind === 'vector') series = value.series.filter((s) => s.points.length > 0);
  else throw new ExecutionError(`invalid expression type for range query`);
  // Sorted by the labels they are answered with, series of one label set (pending `__name__`
  // removals can make them) are neighbours and merge; no key per series, no copy of the points.
  const labelsOf = (s: Series): Labels => (s.dropName ? withoutName(s.labels) : s.labels);
  const flats = sortByLabelsFlat(series, labelsOf);
  const out: Series[] = [];
  for (let i = 0; i < series.length; i++) {
    const s = series[i] as Series;
    let points = s.points;
    let j = i + 1;
    for (; j < series.length && compareFlat(flats[i] as string[], flats[j] as string[]) === 0; j++) {
      if (points === s.points) points = [...points];
      const more = (series[j] as Series).points;
      const times = new Set(points.map((p) => p.t));
      if (more.some((p) => times.has(p.t))) throw new ExecutionError(DUPLICATE_LABELSET);
      pushAll(points, more);
    }
    if (j > i + 1) points.sort((a, b) => a.t - b.t);
    out.push({ labels: labelsOf(s), points });
    i = j - 1;
  }
  return { resultType: 'matrix', result: out, ...annotations(ev) };
}

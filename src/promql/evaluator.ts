import type { Labels } from '../model/labels.js';
import { isStaleNaN } from '../model/sample.js';
import type { AggregateExpr, AtModifier, BinaryExpr, Call, Expr, MatrixSelector, SubqueryExpr, VectorSelector } from './ast.js';
import { durationMs } from './duration-expr.js';
import { ExecutionError } from './errors.js';
import type { EvalContext } from './eval-context.js';
import { labelsKey } from './labels-util.js';
import type { Point, Series, Vector } from './value.js';
import type { StorageSeries } from '../storage/querier.js';
import { lowerBound } from '../storage/lower-bound.js';
import { selectColumns, selectInto, selectorSpan } from './select-into.js';
import { evalCall, evalRangeCallInto } from './eval-call.js';
import { aggregate, type GroupCache } from './aggregations.js';
import { aggregateSeries, canAggregateSeries, SeriesAggregator } from './aggregate-series.js';
import { binaryStep } from './binary.js';
import { canSelectKSeries, columnsFromSeries, releaseColumns, selectKSeries, takeColumns, type StepColumns } from './select-k-series.js';
import { interpolate } from './functions/extended-rate.js';

export type EvalValue =
  | { readonly kind: 'vector'; readonly series: Series[] }
  | { readonly kind: 'scalar'; readonly values: number[] }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'matrix'; readonly source: RangeSource };

/** A range-vector operand: per series, raw samples plus how to cut the window at each step. */
export interface RangeSource {
  readonly series: ReadonlyArray<{
    readonly labels: Labels;
    readonly ts: ArrayLike<number>;
    readonly vs: ArrayLike<number>;
    /** Start timestamps from storage (subqueries do not propagate them). */
    readonly sts?: ArrayLike<number>;
    readonly dropName: boolean;
  }>;
  readonly rangeMs: number;
  readonly offsetMs: number;
  readonly at: number | undefined;
  /** Drop stale markers from windows (true for storage data). */
  readonly skipStale: boolean;
  /** anchored/smoothed selectors also see samples up to a lookback delta outside the range. */
  readonly modifier?: 'anchored' | 'smoothed';
  readonly lookbackMs: number;
}

/**
 * What one output series counts for in metrics.max_total_samples: making a series (its objects,
 * its place in the output order) costs about as much CPU as eight points.
 */
export const SERIES_WORK = 8;

export const DUPLICATE_LABELSET = 'vector cannot contain metrics with the same labelset';

/** selectorColumns' loop over series × steps (`times`: see selectorTimes). Returns the samples selected. */
function fillColumns(ctx: EvalContext, data: readonly StorageSeries[], times: Float64Array, lookback: number, vals: Float64Array, present: Uint8Array): number {
  const n = data.length;
  let total = 0;
  for (let si = 0; si < n; si++) {
    ctx.check();
    ctx.samples(total);
    const s = data[si] as StorageSeries;
    const tss = s.timestamps;
    const vs = s.values;
    const len = tss.length;
    const [k0, k1] = selectorSpan(times, tss, lookback);
    ctx.work(k1 - k0 + 1);
    // Steps only move forward, so lowerBound(tss, t + 1) is a cursor that only advances.
    let j = 0;
    for (let k = k0; k < k1; k++) {
      const t = times[k] as number;
      while (j < len && (tss[j] as number) < t + 1) j++;
      const i = j - 1;
      if (i < 0) continue;
      if ((tss[i] as number) <= t - lookback) continue;
      const v = vs[i] as number;
      if (Number.isNaN(v) && isStaleNaN(v)) continue; // NaN check first: a call would box every value
      vals[k * n + si] = v;
      present[k * n + si] = 1;
      total++;
    }
  }
  return total;
}

/**
 * Evaluates an expression at every step of [start, end] (an instant query is one step).
 * Instant-vector results are series whose points sit exactly on the step timestamps.
 */
export class Evaluator {
  readonly steps: number[] = [];
  constructor(
    readonly ctx: EvalContext,
    readonly start: number,
    readonly end: number,
    readonly interval: number,
  ) {
    for (let t = start; t <= end; t += interval) {
      this.steps.push(t);
      if (interval <= 0) break;
    }
  }

  stepIndex(t: number): number {
    return this.interval > 0 ? Math.round((t - this.start) / this.interval) : 0;
  }

  /**
   * The time each step reads a selector at (`@` or the step, minus the offset), as doubles: the
   * hot loops index this instead of computing `(at ?? step) - offset`, whose number|undefined
   * mix makes V8 box every step time.
   */
  selectorTimes(at: number | undefined, offsetMs: number): Float64Array {
    const out = new Float64Array(this.steps.length);
    for (let k = 0; k < out.length; k++) out[k] = (at ?? (this.steps[k] as number)) - offsetMs;
    return out;
  }

  atTime(at: AtModifier | undefined): number | undefined {
    if (at === undefined) return undefined;
    if (at.kind === 'start') return this.ctx.queryStart;
    if (at.kind === 'end') return this.ctx.queryEnd;
    return at.ms;
  }

  async eval(e: Expr): Promise<EvalValue> {
    await this.ctx.pace();
    switch (e.type) {
      case 'NumberLiteral':
        return { kind: 'scalar', values: this.steps.map(() => e.value) };
      case 'StringLiteral':
        return { kind: 'string', value: e.value };
      case 'ParenExpr':
        return this.eval(e.expr);
      case 'VectorSelector':
        return { kind: 'vector', series: e.modifier === 'smoothed' ? await this.evalSmoothedSelector(e) : await this.evalSelector(e) };
      case 'MatrixSelector':
        return { kind: 'matrix', source: this.matrixSource(e) };
      case 'SubqueryExpr':
        return { kind: 'matrix', source: await this.subquerySource(e) };
      case 'UnaryExpr': {
        const v = await this.eval(e.expr);
        if (e.op === '+') return v;
        if (v.kind === 'scalar') return this.counted({ kind: 'scalar', values: v.values.map((x) => -x) });
        if (v.kind !== 'vector') throw new ExecutionError('unary expression only allowed on expressions of type scalar or instant vector');
        // The operand's series are this evaluation's own (see evalElementwise): negated in place.
        for (const s of v.series) {
          for (const p of s.points as Array<{ t: number; v: number }>) p.v = -p.v;
          s.dropName = true;
        }
        return this.counted(v);
      }
      case 'BinaryExpr':
        return this.counted(await this.evalBinary(e));
      case 'Call':
        return this.counted(await evalCall(this, e as Call));
      case 'AggregateExpr':
        return this.counted(await this.evalAggregate(e));
      default: {
        const never: never = e;
        return never;
      }
    }
  }

  /**
   * Counts an operator's output against metrics.max_total_samples: its points, and SERIES_WORK per
   * series (each costs its own objects whatever its points). Selectors count the steps they visit.
   */
  private counted(v: EvalValue): EvalValue {
    if (v.kind === 'vector') {
      let n = v.series.length * SERIES_WORK;
      for (const s of v.series) n += s.points.length;
      this.ctx.work(n);
    } else if (v.kind === 'scalar') this.ctx.work(v.values.length);
    return v;
  }

  /** Instant-vector selection with lookback; `as` yields sample times or start times (timestamp(), start_timestamp()). */
  async evalSelector(e: VectorSelector, as: 'value' | 'time' | 'start' = 'value'): Promise<Series[]> {
    const data = this.ctx.series.get(e) ?? [];
    const offset = durationMs(e.offset, this.ctx.durations);
    const at = this.atTime(e.at);
    const times = this.selectorTimes(at, offset);
    const lookback = this.ctx.lookbackMs;
    const out: Series[] = [];
    let total = 0;
    for (const s of data) {
      if (this.ctx.due()) await this.ctx.yield();
      const tss = s.timestamps;
      const len = tss.length;
      const [k0, k1] = selectorSpan(times, tss, lookback);
      this.ctx.work(k1 - k0 + 1);
      const points: Point[] = [];
      let j = 0;
      for (let k = k0; k < k1; k++) {
        const t = times[k] as number;
        while (j < len && (tss[j] as number) < t + 1) j++;
        const i = j - 1;
        if (i < 0) continue;
        const st = tss[i] as number;
        if (st <= t - lookback) continue;
        const v = s.values[i] as number;
        if (Number.isNaN(v) && isStaleNaN(v)) continue; // NaN check first: a call would box every value
        points.push({ t: this.steps[k] as number, v: as === 'time' ? st / 1000 : as === 'start' ? ((s.startTimestamps?.[i] as number | undefined) ?? 0) / 1000 : v });
      }
      if (points.length > 0) {
        out.push({ labels: s.labels, points, dropName: false });
        total += points.length;
        this.ctx.samples(total);
      }
    }
    return out;
  }

  /** evalSelector(e) split into one Vector per step, without building the series first. */
  selectorStepVectors(e: VectorSelector): Vector[] {
    const data = this.ctx.series.get(e) ?? [];
    const offset = durationMs(e.offset, this.ctx.durations);
    const at = this.atTime(e.at);
    const times = this.selectorTimes(at, offset);
    const lookback = this.ctx.lookbackMs;
    const steps = this.steps;
    const out: Vector[] = steps.map(() => []);
    let total = 0;
    for (const s of data) {
      this.ctx.check();
      this.ctx.samples(total);
      const tss = s.timestamps;
      const len = tss.length;
      const [k0, k1] = selectorSpan(times, tss, lookback);
      this.ctx.work(k1 - k0 + 1);
      let j = 0;
      for (let k = k0; k < k1; k++) {
        const ts = steps[k] as number;
        const t = times[k] as number;
        while (j < len && (tss[j] as number) < t + 1) j++;
        const i = j - 1;
        if (i < 0) continue;
        if ((tss[i] as number) <= t - lookback) continue;
        const v = s.values[i] as number;
        if (Number.isNaN(v) && isStaleNaN(v)) continue; // NaN check first: a call would box every value
        (out[k] as Vector).push({ labels: s.labels, t: ts, v, dropName: false });
        total++;
      }
    }
    this.ctx.samples(total);
    return out;
  }

  /** evalSelector(e) as step columns (see StepColumns), without building points or samples. */
  selectorColumns(e: VectorSelector): StepColumns {
    const data = this.ctx.series.get(e) ?? [];
    const offset = durationMs(e.offset, this.ctx.durations);
    const at = this.atTime(e.at);
    const times = this.selectorTimes(at, offset);
    const lookback = this.ctx.lookbackMs;
    const steps = this.steps;
    const n = data.length;
    const { vals, present } = takeColumns(n * steps.length);
    const total = fillColumns(this.ctx, data, times, lookback, vals, present);
    this.ctx.samples(total);
    return { n, labels: data.map((s) => s.labels), dropName: data.map(() => false), vals, present };
  }

  /** `metric smoothed`: the value at each step interpolated between the neighbouring samples. */
  async evalSmoothedSelector(e: VectorSelector): Promise<Series[]> {
    const data = this.ctx.series.get(e) ?? [];
    const offset = durationMs(e.offset, this.ctx.durations);
    const at = this.atTime(e.at);
    const times = this.selectorTimes(at, offset);
    const lb = this.ctx.lookbackMs;
    const out: Series[] = [];
    let total = 0;
    for (const s of data) {
      if (this.ctx.due()) await this.ctx.yield();
      this.ctx.samples(total);
      this.ctx.work(this.steps.length);
      const points: Point[] = [];
      for (let k = 0; k < this.steps.length; k++) {
        const ts = this.steps[k] as number;
        const t = times[k] as number;
        const lo = lowerBound(s.timestamps, t - lb + 1);
        const hi = lowerBound(s.timestamps, t + lb + 1);
        const win: Point[] = [];
        for (let i = lo; i < hi; i++) if (!isStaleNaN(s.values[i] as number)) win.push({ t: s.timestamps[i] as number, v: s.values[i] as number });
        const i = lowerBound(win.map((p) => p.t), t);
        const cur = win[i];
        const prev = win[i - 1];
        if (cur && cur.t === t) points.push({ t: ts, v: cur.v });
        else if (prev && cur) points.push({ t: ts, v: interpolate(prev, cur, t, false) });
        else if (prev) points.push({ t: ts, v: prev.v });
      }
      if (points.length > 0) out.push({ labels: s.labels, points, dropName: false });
      total += points.length;
    }
    this.ctx.samples(total);
    return out;
  }

  matrixSource(e: MatrixSelector): RangeSource {
    const data = this.ctx.series.get(e.vector) ?? [];
    return {
      series: data.map((s) => ({ labels: s.labels, ts: s.timestamps, vs: s.values, ...(s.startTimestamps ? { sts: s.startTimestamps } : {}), dropName: false })),
      rangeMs: durationMs(e.range, this.ctx.durations),
      offsetMs: durationMs(e.vector.offset, this.ctx.durations),
      at: this.atTime(e.vector.at),
      skipStale: true,
      ...(e.vector.modifier ? { modifier: e.vector.modifier } : {}),
      lookbackMs: this.ctx.lookbackMs,
    };
  }

  async subquerySource(e: SubqueryExpr): Promise<RangeSource> {
    const offsetMs = durationMs(e.offset, this.ctx.durations);
    const rangeMs = durationMs(e.range, this.ctx.durations);
    const stepMs = e.step ? durationMs(e.step, this.ctx.durations) : this.ctx.subqueryStepMs;
    if (stepMs <= 0) throw new ExecutionError(`subquery step must be greater than 0`);
    const at = this.atTime(e.at);
    const outerStart = at ?? this.start;
    const outerEnd = at ?? this.end;
    const lo = outerStart - offsetMs - rangeMs;
    let start = stepMs * Math.trunc(lo / stepMs);
    if (start <= lo) start += stepMs;
    this.ctx.subquerySteps(start, outerEnd - offsetMs, stepMs, e.pos);
    const sub = new Evaluator(this.ctx, start, outerEnd - offsetMs, stepMs);
    let inner = e.expr;
    while (inner.type === 'ParenExpr') inner = inner.expr;
    if (inner.type === 'VectorSelector' && inner.modifier === undefined && start <= outerEnd - offsetMs) {
      // A plain selector's values go straight into the columns the range function reads.
      return { series: await selectColumns(sub, inner), rangeMs, offsetMs, at, skipStale: false, lookbackMs: this.ctx.lookbackMs };
    }
    const v = start > outerEnd - offsetMs ? { kind: 'vector' as const, series: [] } : await sub.eval(e.expr);
    let series: Series[];
    if (v.kind === 'vector') series = v.series;
    else if (v.kind === 'scalar') series = [{ labels: {}, points: v.values.map((x, i) => ({ t: sub.steps[i] as number, v: x })) }];
    else throw new ExecutionError('subquery is only allowed on instant vector');
    return {
      series: series.map((s) => ({ labels: s.labels, ts: s.points.map((p) => p.t), vs: s.points.map((p) => p.v), dropName: s.dropName ?? false })),
      rangeMs,
      offsetMs,
      at,
      skipStale: false,
      lookbackMs: this.ctx.lookbackMs,
    };
  }

  /** The window (t - range, t] of series `s` at outer step time `ts`. */
  window(src: RangeSource, s: RangeSource['series'][number], ts: number): { points: Point[]; t: number; sts?: number[] } {
    const t = (src.at ?? ts) - src.offsetMs;
    const extra = src.modifier ? src.lookbackMs : 0;
    const lo = lowerBound(s.ts, t - src.rangeMs - extra + 1);
    const hi = lowerBound(s.ts, t + (src.modifier === 'smoothed' ? src.lookbackMs : 0) + 1);
    const points: Point[] = [];
    const sts: number[] | undefined = s.sts ? [] : undefined;
    for (let i = lo; i < hi; i++) {
      const v = s.vs[i] as number;
      if (src.skipStale && Number.isNaN(v) && isStaleNaN(v)) continue;
      points.push({ t: s.ts[i] as number, v });
      sts?.push(s.sts?.[i] as number);
    }
    return sts ? { points, t, sts } : { points, t };
  }

  /** Splits vector-valued series into one Vector per step. */
  stepVectors(series: readonly Series[]): Vector[] {
    const out: Vector[] = this.steps.map(() => []);
    for (const s of series) {
      for (const p of s.points) out[this.stepIndex(p.t)]?.push({ labels: s.labels, t: p.t, v: p.v, dropName: s.dropName });
    }
    return out;
  }

  /** Joins per-step vectors back into series keyed by label set. */
  fromStepVectors(vectors: readonly Vector[]): Series[] {
    const byKey = new Map<string, Series>();
    let total = 0;
    vectors.forEach((vec, i) => {
      const t = this.steps[i] as number;
      for (const s of vec) {
        const key = labelsKey(s.labels);
        let series = byKey.get(key);
        if (!series) {
          series = { labels: s.labels, points: [], dropName: false };
          byKey.set(key, series);
        }
        const last = series.points[series.points.length - 1];
        if (last && last.t === t) throw new ExecutionError(DUPLICATE_LABELSET);
        series.points.push({ t, v: s.v });
        if (s.dropName) series.dropName = true;
        total++;
      }
    });
    this.ctx.samples(total);
    return [...byKey.values()];
  }

  private async evalBinary(e: BinaryExpr): Promise<EvalValue> {
    const l = await this.eval(e.lhs);
    const r = await this.eval(e.rhs);
    if (l.kind === 'scalar' && r.kind === 'scalar') {
      return { kind: 'scalar', values: l.values.map((x, i) => binaryStep(e, x, r.values[i] as number) as number) };
    }
    const lv = l.kind === 'vector' ? this.stepVectors(l.series) : undefined;
    const rv = r.kind === 'vector' ? this.stepVectors(r.series) : undefined;
    const out = this.steps.map((_, i) => {
      const a = lv ? (lv[i] as Vector) : l.kind === 'scalar' ? (l.values[i] as number) : NaN;
      const b = rv ? (rv[i] as Vector) : r.kind === 'scalar' ? (r.values[i] as number) : NaN;
      return binaryStep(e, a, b) as Vector;
    });
    return { kind: 'vector', series: this.fromStepVectors(out) };
  }

  private async evalAggregate(e: AggregateExpr): Promise<EvalValue> {
    if (canAggregateSeries(e)) {
      let inner = e.expr;
      while (inner.type === 'ParenExpr') inner = inner.expr;
      let series: Series[];
      const agg = new SeriesAggregator(e, this.steps);
      if (inner.type === 'Call' && (await evalRangeCallInto(this, inner, agg))) series = agg.result();
      else if (inner.type === 'VectorSelector' && inner.modifier === undefined) {
        this.ctx.check();
        await selectInto(this, inner, agg);
        series = agg.result();
      } else {
        const v = await this.eval(e.expr);
        if (v.kind !== 'vector') throw new ExecutionError('expected instant vector in aggregation');
        series = aggregateSeries(e, v.series, this.steps, (t) => this.stepIndex(t));
      }
      let total = 0;
      for (const s of series) total += s.points.length;
      this.ctx.samples(total);
      return { kind: 'vector', series };
    }
    let inner = e.expr;
    while (inner.type === 'ParenExpr') inner = inner.expr;
    if (canSelectKSeries(e)) return this.evalSelectK(e, inner);
    let vecs: Vector[];
    if (inner.type === 'VectorSelector' && inner.modifier === undefined) {
      this.ctx.check();
      vecs = this.selectorStepVectors(inner);
    } else {
      const v = await this.eval(e.expr);
      if (v.kind !== 'vector') throw new ExecutionError('expected instant vector in aggregation');
      vecs = this.stepVectors(v.series);
    }
    const p = e.param ? await this.eval(e.param) : undefined;
    const cache: GroupCache = new Map();
    const out = vecs.map((vec, i) => {
      const param = p === undefined ? undefined : p.kind === 'scalar' ? p.values[i] : p.kind === 'string' ? p.value : undefined;
      return aggregate(e, vec, param, this.steps[i] as number, (msg) => this.ctx.annotate('warn', msg, e.param?.pos ?? e.pos), cache);
    });
    return { kind: 'vector', series: this.fromStepVectors(out) };
  }

  /** topk/bottomk/limitk series-at-a-time; the same evaluation order and results as the per-step path. */
  private async evalSelectK(e: AggregateExpr, inner: Expr): Promise<EvalValue> {
    let cols: StepColumns;
    if (inner.type === 'VectorSelector' && inner.modifier === undefined) {
      this.ctx.check();
      cols = this.selectorColumns(inner);
    } else {
      const v = await this.eval(e.expr);
      if (v.kind !== 'vector') throw new ExecutionError('expected instant vector in aggregation');
      cols = columnsFromSeries(v.series, this.steps.length, (t) => this.stepIndex(t));
    }
    const p = e.param ? await this.eval(e.param) : undefined;
    const params = this.steps.map((_, i) => (p?.kind === 'scalar' ? (p.values[i] as number) : NaN));
    const { series, samples } = selectKSeries(e, cols, this.steps, params);
    releaseColumns(cols);
    this.ctx.samples(samples);
    return { kind: 'vector', series };
  }
}

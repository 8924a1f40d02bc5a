import type { Call, Expr, VectorSelector } from './ast.js';
import { ExecutionError } from './errors.js';
import type { Labels } from '../model/labels.js';
import type { EvalValue, Evaluator, RangeSource } from './evaluator.js';
import { FUNCTIONS, NATIVE_HISTOGRAM_FUNCTIONS } from './functions/index.js';
import type { FnArg, FnContext, InstantFunctionDef, RangeFunctionDef } from './functions/types.js';
import type { Point, Series, Vector } from './value.js';
import { evalInfo } from './info.js';
import { extrapolatedRate, SeriesWindows } from './range-eval.js';
import { lowerBound } from '../storage/lower-bound.js';

type SourceSeries = RangeSource['series'][number];

/** rate/increase/delta computed straight from sample columns (see range-eval.ts). */
const FAST_RATE: ReadonlyMap<string, { counter: boolean; rate: boolean }> = new Map([
  ['rate', { counter: true, rate: true }],
  ['increase', { counter: true, rate: false }],
  ['delta', { counter: false, rate: false }],
]);

const ANCHORED_SAFE = ['changes', 'delta', 'increase', 'rate', 'resets'];
const SMOOTHED_SAFE = ['delta', 'increase', 'rate'];

function unwrap(e: Expr): Expr {
  return e.type === 'ParenExpr' ? unwrap(e.expr) : e;
}

async function scalarValues(ev: Evaluator, e: Expr): Promise<number[]> {
  const v = await ev.eval(e);
  if (v.kind !== 'scalar') throw new ExecutionError('expected scalar argument');
  return v.values;
}

function fnContext(ev: Evaluator, e: Call): FnContext {
  return {
    annotate: (kind, msg, argIndex) => ev.ctx.annotate(kind, msg, (argIndex !== undefined ? e.args[argIndex]?.pos : undefined) ?? e.pos),
  };
}

export function evalCall(ev: Evaluator, e: Call): Promise<EvalValue> {
  const fn = FUNCTIONS[e.func];
  if (!fn) throw new ExecutionError(`unknown function ${e.func}`);
  if (NATIVE_HISTOGRAM_FUNCTIONS.has(e.func)) throw new ExecutionError(`function ${e.func}() needs native histograms, which are not supported yet`);
  switch (fn.kind) {
    case 'range':
      return evalRangeFunction(ev, e, fn);
    case 'instant':
      return evalInstantFunction(ev, e, fn);
    case 'special':
      return evalSpecial(ev, e);
    default: {
      const never: never = fn;
      return never;
    }
  }
}

/** Receives a range function's output value by value (series in order, then steps in order). */
export interface RangeSink<H> {
  open(labels: Labels, dropName: boolean | undefined, seriesIndex: number): H;
  add(handle: H, seriesIndex: number, stepIndex: number, v: number): void;
}

/**
 * Evaluates `e` into `sink` without building output series when it is a range-vector function
 * call (e.g. `sum(rate(x[5m]))`); returns false, having evaluated nothing, otherwise.
 */
export async function evalRangeCallInto<H>(ev: Evaluator, e: Call, sink: RangeSink<H>): Promise<boolean> {
  const fn = FUNCTIONS[e.func];
  if (!fn || fn.kind !== 'range' || NATIVE_HISTOGRAM_FUNCTIONS.has(e.func)) return false;
  await evalRangeFunction(ev, e, fn, sink);
  return true;
}

async function evalRangeFunction<H>(ev: Evaluator, e: Call, fn: RangeFunctionDef, sink?: RangeSink<H>): Promise<EvalValue> {
  const params: number[][] = [];
  let src: RangeSource | undefined;
  for (const [i, arg] of e.args.entries()) {
    if (i === fn.rangeArg) {
      const v = await ev.eval(arg);
      if (v.kind !== 'matrix') throw new ExecutionError(`expected range vector in call to ${fn.name}`);
      src = v.source;
    } else params.push(await scalarValues(ev, arg));
  }
  if (!src) throw new ExecutionError(`missing range argument in call to ${fn.name}`);
  const source: RangeSource = src;
  const fx = fnContext(ev, e);
  if (source.modifier === 'anchored' && !ANCHORED_SAFE.includes(fn.name)) {
    throw new ExecutionError(`anchored modifier can only be used with: ${ANCHORED_SAFE.join(', ')} - not with ${fn.name}`);
  }
  if (source.modifier === 'smoothed' && !SMOOTHED_SAFE.includes(fn.name)) {
    throw new ExecutionError(`smoothed modifier can only be used with: ${SMOOTHED_SAFE.join(', ')} - not with ${fn.name}`);
  }
  const out: Series[] = [];
  let total = 0;
  const extra = source.modifier ? source.lookbackMs : 0;
  const ahead = source.modifier === 'smoothed' ? source.lookbackMs : 0;
  const fast = source.modifier === undefined ? FAST_RATE.get(fn.name) : undefined;
  const steps = ev.steps;
  const stepParams: number[][] = steps.map((_, i) => params.map((p) => p[i] as number));
  const times = ev.selectorTimes(source.at, source.offsetMs);
  for (let si = 0; si < source.series.length; si++) {
    const s = source.series[si] as SourceSeries;
    if (ev.ctx.due()) await ev.ctx.yield();
    // Points streamed into a sink (sum(rate(…))) are folded as they come, not held: only the
    // series this call builds count against max-samples (all of them count as work).
    if (!sink) ev.ctx.samples(total);
    const win = new SeriesWindows(source, s);
    // Only the steps whose window can hold a sample (every function yields nothing on an empty one).
    const [k0, k1] = windowSpan(times, win.ts, source.rangeMs + extra, ahead);
    ev.ctx.work(k1 - k0 + 1);
    let handle: H | undefined;
    const points: Point[] = [];
    const metricName = s.labels.__name__ ?? '';
    if (fast && win.sts === undefined) {
      // rate/increase/delta over plain columns: numbers only (see fastRateSeries).
      const n = fastRateSeries(win, times, k0, k1, source.rangeMs, extra, ahead, fast, ev, sink, si, s.labels, fn.keepName ? s.dropName : true, points, steps);
      if (sink) total += n;
      else if (points.length > 0) {
        out.push({ labels: s.labels, points, dropName: fn.keepName ? s.dropName : true });
        total += points.length;
      }
      continue;
    }
    for (let i = k0; i < k1; i++) {
      // A series' steps can take long (each window is a fresh slice): let other work in between.
      if ((i & 255) === 255 && ev.ctx.due()) await ev.ctx.yield();
      const ts = steps[i] as number;
      const t = times[i] as number;
      win.slide(t - source.rangeMs - extra + 1, t + ahead + 1);
      ev.ctx.samples(win.hi - win.lo);
      const sts = win.startTimestamps();
      const v = fn.call({ points: win.points(), t, rangeMs: source.rangeMs, evalT: ts, ...(source.modifier ? { modifier: source.modifier } : {}), ...(sts ? { startTimestamps: sts } : {}), metricName }, stepParams[i] as number[], fx);
      if (v === undefined) continue;
      if (sink) {
        handle ??= sink.open(s.labels, fn.keepName ? s.dropName : true, si);
        sink.add(handle, si, i, v);
        total++;
      } else points.push({ t: ts, v });
    }
    if (points.length > 0) {
      out.push({ labels: s.labels, points, dropName: fn.keepName ? s.dropName : true });
      total += points.length;
    }
  }
  if (!sink) ev.ctx.samples(total);
  return { kind: 'vector', series: out };
}

/**
 * The steps [lo, hi) whose window (t - back, t + ahead] can hold one of the samples at `ts`
 * (ascending); `times` ascends or is constant (see Evaluator.selectorTimes).
 */
export function windowSpan(times: Float64Array, ts: ArrayLike<number>, back: number, ahead: number): [number, number] {
  const len = ts.length;
  if (len === 0) return [0, 0];
  const lo = lowerBound(times, (ts[0] as number) - ahead);
  const hi = lowerBound(times, (ts[len - 1] as number) + back);
  return [lo, Math.max(lo, hi)];
}

/**
 * An element-wise function (abs, ln, round…) mapped over whole series: the same values and series
 * order as splitting into steps and joining back (series ordered by their first step, then input
 * order), without a per-sample label-set lookup. The operand's series are made by its own
 * evaluation and read by nothing else, so their points are rewritten in place: a chain of such
 * functions (`abs(abs(…))`) allocates nothing per level.
 */
async function evalElementwise(ev: Evaluator, e: Call, f: (v: number, params: readonly number[]) => number): Promise<EvalValue | undefined> {
  const v = await ev.eval(e.args[0] as Expr);
  if (v.kind !== 'vector') throw new ExecutionError(`expected instant vector argument in call to ${e.func}`);
  const params: number[][] = [];
  for (const arg of e.args.slice(1)) params.push(await scalarValues(ev, arg));
  const at: number[] = new Array<number>(params.length);
  const out: Series[] = [];
  for (const s of v.series) {
    if (s.points.length === 0) continue;
    const points = s.points as MutablePoint[];
    for (let i = 0; i < points.length; i++) {
      const p = points[i] as MutablePoint;
      if (params.length > 0) {
        const k = ev.stepIndex(p.t);
        for (let j = 0; j < params.length; j++) at[j] = (params[j] as number[])[k] as number;
      }
      p.v = f(p.v, at);
    }
    s.dropName = true;
    out.push(s);
  }
  let ordered = true;
  for (let i = 1; i < out.length && ordered; i++) ordered = ((out[i - 1] as Series).points[0] as Point).t <= ((out[i] as Series).points[0] as Point).t;
  if (!ordered) out.sort((a, b) => (a.points[0] as Point).t - (b.points[0] as Point).t);
  return { kind: 'vector', series: out };
}

/** A point of a series this evaluation made and owns (see evalElementwise). */
type MutablePoint = { t: number; v: number };

async function evalInstantFunction(ev: Evaluator, e: Call, fn: InstantFunctionDef): Promise<EvalValue> {
  if (fn.elementwise && e.args.length > 0) {
    const r = await evalElementwise(ev, e, fn.elementwise);
    if (r) return r;
  }
  const args: Array<Vector[] | number[] | string> = [];
  for (const arg of e.args) {
    const v = await ev.eval(arg);
    if (v.kind === 'vector') args.push(ev.stepVectors(v.series));
    else if (v.kind === 'scalar') args.push(v.values);
    else if (v.kind === 'string') args.push(v.value);
    else throw new ExecutionError(`unexpected range vector argument in call to ${fn.name}`);
  }
  const fx = fnContext(ev, e);
  if (fn.name.startsWith('sort') && ev.ctx.isRange) fx.annotate('warn', 'sort is ineffective for range queries since results are always ordered by labels');
  const results = ev.steps.map((ts, i) => {
    const stepArgs: FnArg[] = args.map((a) => (typeof a === 'string' ? a : (a[i] as Vector | number)));
    return fn.call(stepArgs, ts, fx);
  });
  if (fn.returnType === 'scalar') return { kind: 'scalar', values: results.map((r) => (typeof r === 'number' ? r : NaN)) };
  const vectors = results.map((r) => (typeof r === 'number' ? [] : r.map((s) => ({ ...s, dropName: fn.keepName ? s.dropName : true }))));
  const series = ev.fromStepVectors(vectors);
  return { kind: 'vector', series };
}

/** Labels absent() reports: the selector's equality matchers, except __name__ and repeated names. */
function absentLabels(e: Expr): Record<string, string> {
  const u = unwrap(e);
  let sel: VectorSelector | undefined;
  if (u.type === 'VectorSelector') sel = u;
  else if (u.type === 'MatrixSelector') sel = u.vector;
  const out: Record<string, string> = {};
  if (!sel) return out;
  const seen = new Set<string>();
  const conflicted = new Set<string>();
  for (const m of sel.matchers) {
    if (m.name === '__name__') continue;
    if (seen.has(m.name)) conflicted.add(m.name);
    seen.add(m.name);
    if (m.type === '=') out[m.name] = m.value;
  }
  for (const n of conflicted) delete out[n];
  for (const m of sel.matchers) if (m.type !== '=' && out[m.name] !== undefined) delete out[m.name];
  return out;
}

async function evalSpecial(ev: Evaluator, e: Call): Promise<EvalValue> {
  const arg = e.args[0] as Expr;
  const constant = (v: number): EvalValue => ({ kind: 'scalar', values: ev.steps.map(() => v) });
  switch (e.func) {
    case 'info':
      return evalInfo(ev, e);
    case 'start':
      return constant(ev.ctx.queryStart / 1000);
    case 'end':
      return constant(ev.ctx.queryEnd / 1000);
    case 'range':
      return constant((ev.ctx.queryEnd - ev.ctx.queryStart) / 1000);
    case 'step':
      return constant(ev.ctx.durations.stepMs / 1000);
    case 'vector': {
      const vals = await scalarValues(ev, arg);
      return { kind: 'vector', series: [{ labels: {}, points: vals.map((v, i) => ({ t: ev.steps[i] as number, v })), dropName: false }] };
    }
    case 'scalar': {
      const v = await ev.eval(arg);
      if (v.kind !== 'vector') throw new ExecutionError('scalar() expects an instant vector');
      const vecs = ev.stepVectors(v.series);
      return { kind: 'scalar', values: vecs.map((vec) => (vec.length === 1 ? (vec[0] as { v: number }).v : NaN)) };
    }
    case 'start_timestamp': {
      const u = unwrap(arg);
      if (u.type !== 'VectorSelector') return { kind: 'vector', series: [] };
      return { kind: 'vector', series: (await ev.evalSelector(u, 'start')).map((s) => ({ ...s, dropName: true })) };
    }
    case 'timestamp': {
      const u = unwrap(arg);
      let series: Series[];
      if (u.type === 'VectorSelector') series = await ev.evalSelector(u, 'time');
      else {
        const v = await ev.eval(arg);
        if (v.kind !== 'vector') throw new ExecutionError('timestamp() expects an instant vector');
        series = v.series.map((s) => ({ labels: s.labels, points: s.points.map((p) => ({ t: p.t, v: p.t / 1000 })), dropName: s.dropName }));
      }
      const out = series.map((s) => ({ ...s, dropName: true }));
      return { kind: 'vector', series: out };
    }
    case 'absent': {
      const v = await ev.eval(arg);
      if (v.kind !== 'vector') throw new ExecutionError('absent() expects an instant vector');
      const present = new Set<number>();
      for (const s of v.series) for (const p of s.points) present.add(p.t);
      const points = ev.steps.filter((t) => !present.has(t)).map((t) => ({ t, v: 1 }));
      return { kind: 'vector', series: points.length ? [{ labels: absentLabels(arg), points, dropName: false }] : [] };
    }
    case 'absent_over_time': {
      const v = await ev.eval(arg);
      if (v.kind !== 'matrix') throw new ExecutionError('absent_over_time() expects a range vector');
      const src = v.source;
      const points = ev.steps
        .filter((ts) => !src.series.some((s) => ev.window(src, s, ts).points.length > 0))
        .map((t) => ({ t, v: 1 }));
      return { kind: 'vector', series: points.length ? [{ labels: absentLabels(arg), points, dropName: false }] : [] };
    }
    default:
      throw new ExecutionError(`function ${e.func}() is not supported`);
  }
}

/**
 * One series of a plain rate/increase/delta: the step loop of evalRangeFunction with the result
 * kept a number throughout (the general loop's `number | undefined` boxes every step's value).
 * Adds to `sink` or pushes to `points`; returns the samples added to the sink.
 */
function fastRateSeries<H>(
  win: SeriesWindows,
  times: Float64Array,
  k0: number,
  k1: number,
  rangeMs: number,
  extra: number,
  ahead: number,
  fast: { counter: boolean; rate: boolean },
  ev: Evaluator,
  sink: RangeSink<H> | undefined,
  si: number,
  labels: Labels,
  dropName: boolean,
  points: Point[],
  steps: readonly number[],
): number {
  let handle: H | undefined;
  let added = 0;
  for (let i = k0; i < k1; i++) {
    const t = times[i] as number;
    win.slide(t - rangeMs - extra + 1, t + ahead + 1);
    const lo = win.lo;
    const hi = win.hi;
    ev.ctx.samples(hi - lo);
    if (hi - lo < 2) continue;
    const v = extrapolatedRate(win.ts, win.vs, lo, hi, t, rangeMs, fast.counter, fast.rate);
    if (sink) {
      handle ??= sink.open(labels, dropName, si);
      sink.add(handle, si, i, v);
      added++;
    } else points.push({ t: steps[i] as number, v });
  }
  return added;
}

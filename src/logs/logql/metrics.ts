import type { Grouping, LogExpr, MetricExpr, RangeOp, VectorOp } from './ast.js';
import { maxOf, minOf, pushAll } from '../../model/arrays.js';
import { applyGrouping, COUNTING_OPS, countingValue, neededFields, summable, WindowCounter, type CollectRuns } from './counting.js';
import { exactSum } from './exact-sum.js';

/** Points of one series, time-ascending; values are 1-per-line bytes or unwrapped numbers. */
export interface SeriesPoints {
  labels: Record<string, string>;
  ts: number[];
  vs: number[];
}

export type Collect = (
  expr: LogExpr,
  from: number,
  to: number,
  keep: (l: Record<string, string>) => Record<string, string>,
  /** Values must be each line's UTF-8 bytes (bytes_over_time, bytes_rate); otherwise any value serves (counting). */
  needBytes: boolean,
) => Promise<Map<string, SeriesPoints>>;

interface Sample {
  labels: Record<string, string>;
  v: number;
}
/** One instant vector per evaluation step. */
type Vectors = Sample[][];
type Value = { kind: 'scalar'; value: number } | { kind: 'vectors'; vectors: Vectors };

export type MetricOutput =
  | { kind: 'scalar'; value: number }
  | { kind: 'series'; series: Array<{ labels: Record<string, string>; points: Array<[number, number]> }> };

function key(l: Record<string, string>): string {
  return JSON.stringify(Object.keys(l).sort().map((k) => [k, l[k]]));
}

/** Called between series and steps: throws to stop the query, and may wait to let other work run. */
export type Pace = () => Promise<void>;

interface Ctx {
  collect: Collect;
  pace: Pace;
  /**
   * When given, counting range aggregations (count_over_time, rate, bytes_*) read runs of
   * line timestamps and `sum` of exact ones is applied while counting (see counting.ts);
   * without it every line is read and every series kept, as written.
   */
  runs?: CollectRuns;
}

/** Evaluates a metric expression at each step (ms) and returns one series per label set. */
export async function evalMetric(
  expr: MetricExpr,
  steps: readonly number[],
  collect: Collect,
  pace: Pace = () => Promise.resolve(),
  runs?: CollectRuns,
): Promise<MetricOutput> {
  const ctx: Ctx = runs ? { collect, pace, runs } : { collect, pace };
  const v = await evalValue(expr, steps, ctx, []);
  if (v.kind === 'scalar') return v;
  const series = new Map<string, { labels: Record<string, string>; points: Array<[number, number]> }>();
  v.vectors.forEach((vec, i) => {
    for (const s of vec) {
      const k = key(s.labels);
      let sr = series.get(k);
      if (!sr) series.set(k, (sr = { labels: s.labels, points: [] }));
      sr.points.push([steps[i]!, s.v]);
    }
  });
  return { kind: 'series', series: [...series.values()].sort((a, b) => (key(a.labels) < key(b.labels) ? -1 : 1)) };
}

/**
 * `outer`: groupings of enclosing `sum`s pushed into the range aggregation below (innermost
 * first); only ever non-empty on the way to a summable() range aggregation.
 */
async function evalValue(expr: MetricExpr, steps: readonly number[], ctx: Ctx, outer: readonly Grouping[]): Promise<Value> {
  switch (expr.kind) {
    case 'number': return { kind: 'scalar', value: expr.value };
    case 'range':
      if (ctx.runs && COUNTING_OPS.has(expr.op) && !expr.log.unwrap) return { kind: 'vectors', vectors: await evalCounting(expr, steps, ctx, outer) };
      return { kind: 'vectors', vectors: await evalRange(expr, steps, ctx.collect, ctx.pace) };
    case 'vector': {
      // sum by (g) (count_over_time(…)): count per g while reading instead of per series and then add up.
      const push = ctx.runs && expr.op === 'sum' && summable(expr.expr);
      const inner = await evalValue(expr.expr, steps, ctx, push ? [expr.grouping ?? { without: false, labels: [] }, ...outer] : []);
      if (inner.kind === 'scalar') throw new RangeError(`${expr.op}: expected an instant vector, got a scalar`);
      return { kind: 'vectors', vectors: inner.vectors.map((vec) => aggregate(expr.op, expr.param, expr.grouping, vec)) };
    }
    case 'binary': {
      const l = await evalValue(expr.left, steps, ctx, []);
      const r = await evalValue(expr.right, steps, ctx, []);
      const f = (a: number, b: number): number => (expr.op === '+' ? a + b : expr.op === '-' ? a - b : expr.op === '*' ? a * b : a / b);
      if (l.kind === 'scalar' && r.kind === 'scalar') return { kind: 'scalar', value: f(l.value, r.value) };
      if (l.kind === 'scalar' && r.kind === 'vectors') return { kind: 'vectors', vectors: r.vectors.map((vec) => vec.map((s) => ({ labels: s.labels, v: f(l.value, s.v) }))) };
      if (l.kind === 'vectors' && r.kind === 'scalar') return { kind: 'vectors', vectors: l.vectors.map((vec) => vec.map((s) => ({ labels: s.labels, v: f(s.v, r.value) }))) };
      if (l.kind === 'vectors' && r.kind === 'vectors') {
        // One-to-one matching on identical label sets, as PromQL does without on()/ignoring().
        return {
          kind: 'vectors',
          vectors: l.vectors.map((vec, i) => {
            const right = new Map((r.vectors[i] ?? []).map((s) => [key(s.labels), s.v]));
            return vec.flatMap((s) => {
              const rv = right.get(key(s.labels));
              return rv === undefined ? [] : [{ labels: s.labels, v: f(s.v, rv) }];
            });
          }),
        };
      }
      throw new Error('unreachable');
    }
    default: {
      const never: never = expr;
      throw new Error(`unknown expression ${JSON.stringify(never)}`);
    }
  }
}

async function evalRange(expr: Extract<MetricExpr, { kind: 'range' }>, steps: readonly number[], collect: Collect, pace: Pace): Promise<Vectors> {
  const first = steps[0]!;
  const last = steps[steps.length - 1]!;
  // Windows are (T - range, T] in milliseconds.
  const needBytes = expr.op === 'bytes_over_time' || expr.op === 'bytes_rate';
  const points = await collect(expr.log, first - expr.rangeMs + 1, last + 1, (l) => applyGrouping(l, expr.grouping), needBytes);
  const out: Vectors = steps.map(() => []);
  const rangeSec = expr.rangeMs / 1000;
  for (const sp of points.values()) {
    await pace();
    if (expr.grouping) sortPoints(sp);
    let lo = 0;
    let hi = 0;
    steps.forEach((T, i) => {
      while (hi < sp.ts.length && sp.ts[hi]! <= T) hi++;
      while (lo < hi && sp.ts[lo]! <= T - expr.rangeMs) lo++;
      if (hi > lo) out[i]!.push({ labels: sp.labels, v: rangeFn(expr.op, expr.param, sp.vs.slice(lo, hi), rangeSec, !!expr.log.unwrap) });
    });
  }
  if (expr.op === 'absent_over_time') {
    const labels: Record<string, string> = {};
    for (const m of expr.log.matchers) if (m.type === '=') labels[m.name] = m.value;
    return out.map((vec) => (vec.length ? [] : [{ labels, v: 1 }]));
  }
  return out;
}

async function evalCounting(expr: Extract<MetricExpr, { kind: 'range' }>, steps: readonly number[], ctx: Ctx, outer: readonly Grouping[]): Promise<Vectors> {
  const groupings = expr.grouping ? [expr.grouping, ...outer] : outer;
  const project = (l: Record<string, string>): Record<string, string> => {
    for (const g of groupings) l = applyGrouping(l, g);
    return l;
  };
  const needBytes = expr.op === 'bytes_over_time' || expr.op === 'bytes_rate';
  const from = steps[0]! - expr.rangeMs + 1;
  const to = steps[steps.length - 1]! + 1;
  const counter = new WindowCounter(steps, expr.rangeMs, project);
  const runs = ctx.runs!(expr.log, from, to, neededFields(groupings));
  if (runs) {
    let n = 0;
    for await (const run of runs) {
      if ((++n & 255) === 0) await ctx.pace();
      counter.addRun(run);
    }
  } else {
    // Line filters or stages: every line goes through the pipeline, but only projected series are kept.
    for (const sp of (await ctx.collect(expr.log, from, to, project, needBytes)).values()) {
      await ctx.pace();
      sortPoints(sp);
      counter.addPoints(sp.labels, sp.ts, sp.vs);
    }
  }
  const out: Vectors = steps.map(() => []);
  const rangeSec = expr.rangeMs / 1000;
  for (const sr of counter.results()) {
    for (let j = 0; j < sr.steps.length; j++) out[sr.steps[j]!]!.push({ labels: sr.labels, v: countingValue(expr.op, sr.lines[j]!, sr.bytes[j]!, rangeSec) });
  }
  return out;
}

function sortPoints(sp: SeriesPoints): void {
  for (let i = 1; i < sp.ts.length; i++) if (sp.ts[i - 1]! > sp.ts[i]!) return sortUnsorted(sp);
}

function sortUnsorted(sp: SeriesPoints): void {
  const idx = sp.ts.map((_, i) => i).sort((a, b) => sp.ts[a]! - sp.ts[b]!);
  sp.ts = idx.map((i) => sp.ts[i]!);
  sp.vs = idx.map((i) => sp.vs[i]!);
}

function rangeFn(op: RangeOp, param: number | undefined, vs: number[], rangeSec: number, unwrapped: boolean): number {
  const sum = (): number => vs.reduce((a, b) => a + b, 0);
  switch (op) {
    case 'count_over_time': return vs.length;
    case 'rate': return (unwrapped ? sum() : vs.length) / rangeSec;
    case 'bytes_over_time': return sum();
    case 'bytes_rate': return sum() / rangeSec;
    case 'sum_over_time': return sum();
    case 'avg_over_time': return sum() / vs.length;
    case 'min_over_time': return minOf(vs);
    case 'max_over_time': return maxOf(vs);
    case 'first_over_time': return vs[0]!;
    case 'last_over_time': return vs[vs.length - 1]!;
    case 'stdvar_over_time': case 'stddev_over_time': {
      const mean = sum() / vs.length;
      const variance = vs.reduce((a, b) => a + (b - mean) ** 2, 0) / vs.length;
      return op === 'stdvar_over_time' ? variance : Math.sqrt(variance);
    }
    case 'quantile_over_time': return quantile(param ?? 0.5, vs);
    case 'absent_over_time': return 1;
    default: {
      const never: never = op;
      throw new Error(`unknown range aggregation ${String(never)}`);
    }
  }
}

/** Prometheus's quantile: linear interpolation between closest ranks. */
function quantile(q: number, values: number[]): number {
  if (values.length === 0) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const s = [...values].sort((a, b) => a - b);
  const rank = q * (s.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo]! + (s[hi]! - s[lo]!) * (rank - lo);
}

function aggregate(op: VectorOp, param: number | undefined, g: Grouping | undefined, vec: Sample[]): Sample[] {
  const groups = new Map<string, { labels: Record<string, string>; items: Sample[] }>();
  for (const s of vec) {
    // Without by/without, everything aggregates into one group with no labels.
    const labels = g ? applyGrouping(s.labels, g) : {};
    const k = key(labels);
    let gr = groups.get(k);
    if (!gr) groups.set(k, (gr = { labels, items: [] }));
    gr.items.push(s);
  }
  const out: Sample[] = [];
  for (const gr of groups.values()) {
    const vs = gr.items.map((s) => s.v);
    // Correctly rounded sums: the result does not depend on the order the series arrive in.
    const sum = exactSum(vs);
    switch (op) {
      case 'sum': out.push({ labels: gr.labels, v: sum }); break;
      case 'avg': out.push({ labels: gr.labels, v: sum / vs.length }); break;
      case 'min': out.push({ labels: gr.labels, v: minOf(vs) }); break;
      case 'max': out.push({ labels: gr.labels, v: maxOf(vs) }); break;
      case 'count': out.push({ labels: gr.labels, v: vs.length }); break;
      case 'stddev': case 'stdvar': {
        const mean = sum / vs.length;
        const variance = exactSum(vs.map((v) => (v - mean) ** 2)) / vs.length;
        out.push({ labels: gr.labels, v: op === 'stdvar' ? variance : Math.sqrt(variance) });
        break;
      }
      case 'topk': case 'bottomk': {
        // Ties (and NaN, last) are broken by label set, so the pick does not depend on series order.
        const keyed = gr.items.map((s) => ({ s, k: key(s.labels) }));
        const sign = op === 'topk' ? -1 : 1;
        keyed.sort((a, b) => {
          const an = Number.isNaN(a.s.v), bn = Number.isNaN(b.s.v);
          if (an !== bn) return an ? 1 : -1;
          const d = an ? 0 : sign * (a.s.v - b.s.v);
          return d !== 0 ? d : a.k < b.k ? -1 : a.k > b.k ? 1 : 0;
        });
        pushAll(out, keyed.slice(0, param ?? 1).map((x) => x.s));
        break;
      }
      default: {
        const never: never = op;
        throw new Error(`unknown aggregation ${String(never)}`);
      }
    }
  }
  return out;
}

import { labelsKey, withoutName } from '../labels-util.js';
import type { Vector } from '../value.js';
import type { FnArg, FnContext, InstantFunctionDef } from './types.js';
import { formatGoFloat } from '../format.js';

/** Go strconv.ParseFloat for the forms bucket bounds use (decimal, exponent, ±Inf, NaN). */
export function parseGoFloat(s: string): number {
  const low = s.toLowerCase();
  if (low === '+inf' || low === 'inf' || low === '+infinity' || low === 'infinity') return Infinity;
  if (low === '-inf' || low === '-infinity') return -Infinity;
  if (low === 'nan') return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s) && !/^[+-]?0[xX][0-9a-fA-F]+$/.test(s)) return NaN;
  return Number(s);
}

interface Bucket {
  upper: number;
  count: number;
}

function almostEqual(a: number, b: number, eps: number): boolean {
  const minNormal = 2.2250738585072014e-308;
  if (a === b) return true;
  const absSum = Math.abs(a) + Math.abs(b);
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || absSum < minNormal) return diff < eps * minNormal;
  return diff / Math.min(absSum, Number.MAX_VALUE) < eps;
}

/** Prometheus's BucketQuantile over classic (cumulative `le`) buckets, with its monotonicity fixes. */
export function bucketQuantile(q: number, input: Bucket[], fixed: { monotonic: boolean } = { monotonic: false }): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const sorted = [...input].sort((a, b) => a.upper - b.upper);
  const last = sorted[sorted.length - 1];
  if (!last || last.upper !== Infinity) return NaN;
  const buckets: Bucket[] = [];
  for (const b of sorted) {
    const prev = buckets[buckets.length - 1];
    if (prev && prev.upper === b.upper) prev.count += b.count;
    else buckets.push({ ...b });
  }
  let prevCount = (buckets[0] as Bucket).count;
  for (let i = 1; i < buckets.length; i++) {
    const b = buckets[i] as Bucket;
    if (b.count === prevCount) continue;
    if (almostEqual(prevCount, b.count, 1e-12)) {
      b.count = prevCount;
      continue;
    }
    if (b.count < prevCount) {
      b.count = prevCount;
      fixed.monotonic = true;
      continue;
    }
    prevCount = b.count;
  }
  if (buckets.length < 2) return NaN;
  const observations = (buckets[buckets.length - 1] as Bucket).count;
  if (observations === 0) return NaN;
  let rank = q * observations;
  let b = buckets.length - 1;
  for (let i = 0; i < buckets.length - 1; i++) {
    if ((buckets[i] as Bucket).count >= rank) {
      b = i;
      break;
    }
  }
  if (b === buckets.length - 1) return (buckets[buckets.length - 2] as Bucket).upper;
  if (b === 0 && (buckets[0] as Bucket).upper <= 0) return (buckets[0] as Bucket).upper;
  let start = 0;
  const end = (buckets[b] as Bucket).upper;
  let count = (buckets[b] as Bucket).count;
  if (b > 0) {
    const p = buckets[b - 1] as Bucket;
    start = p.upper;
    count -= p.count;
    rank -= p.count;
  }
  return start + (end - start) * (rank / count);
}

interface BucketGroup {
  labels: Record<string, string>;
  name: string;
  buckets: Bucket[];
}

/** Groups classic-histogram bucket series by their labels without `le` and `__name__`. */
function bucketGroups(vec: Vector, fx: FnContext, vecArg: number): BucketGroup[] {
  const groups = new Map<string, BucketGroup>();
  for (const s of vec) {
    const le = s.labels.le ?? '';
    const upper = parseGoFloat(le);
    if (le === '' || Number.isNaN(upper)) {
      fx.annotate('warn', `bucket label "le" is missing or has a malformed value of "${le}" for metric name "${s.labels.__name__ ?? ''}"`, vecArg);
      continue;
    }
    const labels: Record<string, string> = { ...withoutName(s.labels) };
    delete labels.le;
    const key = labelsKey(labels);
    let g = groups.get(key);
    if (!g) {
      g = { labels, name: s.labels.__name__ ?? '', buckets: [] };
      groups.set(key, g);
    }
    g.buckets.push({ upper, count: s.v });
  }
  return [...groups.values()];
}

function quantileOf(g: BucketGroup, q: number, fx: FnContext, vecArg: number): number {
  const fixed = { monotonic: false };
  const v = bucketQuantile(q, g.buckets, fixed);
  if (fixed.monotonic) {
    fx.annotate(
      'info',
      `input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) for metric name "${g.name}"`,
      vecArg,
    );
  }
  return v;
}

function checkQuantile(q: number, fx: FnContext, arg: number): void {
  if (!(q >= 0 && q <= 1)) fx.annotate('warn', `quantile value should be between 0 and 1, got ${formatGoFloat(q)}`, arg);
}

function histogramQuantile(args: readonly FnArg[], t: number, fx: FnContext): Vector {
  const q = args[0] as number;
  checkQuantile(q, fx, 0);
  return bucketGroups(args[1] as Vector, fx, 1).map((g) => ({ labels: g.labels, t, v: quantileOf(g, q, fx, 1), dropName: true }));
}

/** OpenMetrics float text: integral values keep a `.0` (`1.0`), as labels.FormatOpenMetricsFloat. */
export function formatOpenMetricsFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const s = String(v);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

/** histogram_quantiles(v, "label", q1, q2, …): one output series per quantile, labelled with it. */
function histogramQuantiles(args: readonly FnArg[], t: number, fx: FnContext): Vector {
  const label = args[1] as string;
  const qs = args.slice(2) as number[];
  qs.forEach((q, i) => checkQuantile(q, fx, i + 2));
  const groups = bucketGroups(args[0] as Vector, fx, 0);
  const out: Vector = [];
  for (const q of qs) {
    for (const g of groups) out.push({ labels: { ...g.labels, [label]: formatOpenMetricsFloat(q) }, t, v: quantileOf(g, q, fx, 0), dropName: true });
  }
  return out;
}

export const HISTOGRAM_FUNCTIONS: InstantFunctionDef[] = [
  { kind: 'instant', name: 'histogram_quantile', argTypes: ['scalar', 'vector'], variadic: 0, returnType: 'vector', call: histogramQuantile },
  { kind: 'instant', name: 'histogram_quantiles', argTypes: ['vector', 'string', 'scalar', 'scalar'], variadic: 9, returnType: 'vector', call: histogramQuantiles },
];

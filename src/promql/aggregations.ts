import type { Labels } from '../model/labels.js';
import type { AggregateExpr } from './ast.js';
import { ExecutionError } from './errors.js';
import { formatGoFloat } from './format.js';
import { isValidLabelNameUTF8 } from './functions/labels.js';
import { kahanSumInc, MeanAccumulator, quantile, VarianceAccumulator } from './functions/stats.js';
import { goQuote } from './format.js';
import { labelsKey, only, without } from './labels-util.js';
import { ratioOffset } from './limit-ratio.js';
import type { Sample, Vector } from './value.js';

interface Group {
  labels: Record<string, string>;
  samples: Sample[];
  dropName: boolean;
}

export function groupLabels(e: AggregateExpr, l: Record<string, string> | Readonly<Record<string, string>>): Record<string, string> {
  if (e.without) return without(l, [...e.grouping, '__name__']);
  return only(l, e.grouping);
}

/**
 * Grouping labels and key per input label set, kept across the steps of one aggregation: the
 * samples of one series share their labels object, so each series is grouped once.
 */
export type GroupCache = Map<Labels, { labels: Record<string, string>; key: string }>;

function groupBy(e: AggregateExpr, vec: Vector, cache?: GroupCache): Group[] {
  const groups = new Map<string, Group>();
  for (const s of vec) {
    let hit = cache?.get(s.labels);
    if (!hit) {
      const l = groupLabels(e, s.labels);
      hit = { labels: l, key: labelsKey(l) };
      cache?.set(s.labels, hit);
    }
    const { labels, key } = hit;
    let g = groups.get(key);
    if (!g) {
      g = { labels, samples: [], dropName: false };
      groups.set(key, g);
    }
    g.samples.push(s);
    if (s.dropName && labels.__name__ !== undefined) g.dropName = true;
  }
  return [...groups.values()];
}

function sum(samples: readonly Sample[]): number {
  let s = 0;
  let c = 0;
  for (const x of samples) [s, c] = kahanSumInc(x.v, s, c);
  return Number.isFinite(s) ? s + c : s;
}

/** Orders like Prometheus's heaps: NaN always loses. */
function kCompare(top: boolean) {
  return (a: Sample, b: Sample): number => {
    const an = Number.isNaN(a.v);
    const bn = Number.isNaN(b.v);
    if (an || bn) return an === bn ? 0 : an ? 1 : -1;
    return top ? b.v - a.v : a.v - b.v;
  };
}

/** The first k of a stable sort by `cmp`, without sorting everything (k is usually small). */
function firstK(samples: readonly Sample[], k: number, cmp: (a: Sample, b: Sample) => number): Sample[] {
  if (k >= samples.length || k > 64) return [...samples].sort(cmp).slice(0, k);
  const best: Sample[] = [];
  for (const s of samples) {
    if (best.length === k && cmp(s, best[k - 1] as Sample) >= 0) continue;
    // Insert after every element that is not worse, as a stable sort would order it.
    let i = best.length;
    while (i > 0 && cmp(s, best[i - 1] as Sample) < 0) i--;
    best.splice(i, 0, s);
    if (best.length > k) best.pop();
  }
  return best;
}

export function kParam(param: number | string | undefined): number {
  const k = param as number;
  if (Number.isNaN(k)) throw new ExecutionError('Parameter value is NaN');
  if (k >= 2 ** 63) throw new ExecutionError(`Scalar value ${formatGoFloat(k)} overflows int64`);
  return Math.floor(k);
}

/** Aggregates one step's vector. Output series keep or rebuild labels as Prometheus does per operator. */
export function aggregate(e: AggregateExpr, vec: Vector, param: number | string | undefined, t: number, warn: (msg: string) => void, cache?: GroupCache): Vector {
  switch (e.op) {
    case 'topk':
    case 'bottomk':
    case 'limitk': {
      const k = kParam(param);
      if (k < 1) return [];
      const out: Vector = [];
      for (const g of groupBy(e, vec, cache)) {
        const chosen = e.op === 'limitk' ? g.samples.slice(0, k) : firstK(g.samples, k, kCompare(e.op === 'topk'));
        for (const s of chosen) out.push(s);
      }
      return out;
    }
    case 'limit_ratio': {
      const r = param as number;
      if (Number.isNaN(r)) throw new ExecutionError('Ratio value is NaN');
      const ratio = Math.max(-1, Math.min(1, r));
      if (ratio !== r) warn(`ratio value should be between -1 and 1, got ${formatGoFloat(r)}, capping to ${ratio}`);
      if (ratio === 0) return [];
      return vec.filter((s) => {
        const off = ratioOffset(s.labels);
        return ratio >= 0 ? off < ratio : off >= 1 + ratio;
      });
    }
    case 'count_values': {
      const name = param as string;
      if (!isValidLabelNameUTF8(name)) throw new ExecutionError(`invalid label name ${goQuote(name)}`);
      const groups = new Map<string, { labels: Record<string, string>; n: number }>();
      for (const s of vec) {
        const labels = { ...groupLabels(e, s.labels), [name]: formatGoFloat(s.v) };
        const key = labelsKey(labels);
        const g = groups.get(key);
        if (g) g.n++;
        else groups.set(key, { labels, n: 1 });
      }
      return [...groups.values()].map((g) => ({ labels: g.labels, t, v: g.n }));
    }
    case 'quantile': {
      const q = param as number;
      if (!(q >= 0 && q <= 1)) warn(`quantile value should be between 0 and 1, got ${formatGoFloat(q)}`);
      break;
    }
    default:
      break;
  }
  return groupBy(e, vec, cache).map((g) => ({ labels: g.labels, t, v: reduce(e.op, g.samples, param), dropName: g.dropName }));
}

function reduce(op: string, samples: readonly Sample[], param: number | string | undefined): number {
  switch (op) {
    case 'sum':
      return sum(samples);
    case 'avg': {
      const m = new MeanAccumulator();
      for (const s of samples) m.add(s.v);
      return m.value();
    }
    case 'count':
      return samples.length;
    case 'group':
      return 1;
    case 'min':
    case 'max': {
      let best = (samples[0] as Sample).v;
      for (const s of samples) if (Number.isNaN(best) || (op === 'max' ? s.v > best : s.v < best)) best = s.v;
      return best;
    }
    case 'stddev':
    case 'stdvar': {
      const a = new VarianceAccumulator();
      for (const s of samples) a.add(s.v);
      return op === 'stddev' ? Math.sqrt(a.variance()) : a.variance();
    }
    case 'quantile':
      return quantile(param as number, samples.map((s) => s.v));
    default:
      throw new ExecutionError(`unknown aggregation operator ${op}`);
  }
}

import { maxOf, minOf } from '../model/arrays.js';
import { formatFloat } from '../template/index.js';

/**
 * Native histograms as promtool's test notation writes them (`{{schema:1 count:4 sum:5.6
 * buckets:[1 2] offset:-3 counter_reset_hint:not_reset}}`): parsed, added and subtracted for
 * `a+bxN` series, and printed the way FloatHistogram.TestExpression prints them. Vigil's PromQL
 * engine does not evaluate native histograms; `rules test` loads them and answers plain
 * selectors over them (see runner.ts).
 */
export type CounterResetHint = 'unknown' | 'reset' | 'not_reset' | 'gauge';

export interface TestHistogram {
  readonly schema: number;
  readonly count: number;
  readonly sum: number;
  readonly zeroCount: number;
  readonly zeroThreshold: number;
  readonly customValues: readonly number[];
  /** Bucket counts by bucket index. */
  readonly positive: ReadonlyMap<number, number>;
  readonly negative: ReadonlyMap<number, number>;
  readonly hint: CounterResetHint;
  /** Whether the notation set the hint (then storage keeps it). */
  readonly hintSet: boolean;
}

const NUM = String.raw`[+-]?(?:Inf|NaN|inf|nan|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)`;

function num(s: string): number {
  const t = s.replace(/^\+/, '');
  if (/^-?inf$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(t)) return NaN;
  const v = Number(t);
  if (Number.isNaN(v)) throw new Error(`bad number ${JSON.stringify(s)}`);
  return v;
}

function buckets(offset: number, values: readonly number[]): Map<number, number> {
  const m = new Map<number, number>();
  values.forEach((v, i) => m.set(offset + i, v));
  return m;
}

/** Parses one `{{…}}` (the braces included). Throws with the reason. */
export function parseHistogram(text: string): TestHistogram {
  const m = /^\{\{\s*(.*?)\s*\}\}$/s.exec(text);
  if (!m) throw new Error(`bad histogram ${JSON.stringify(text)}`);
  const body = m[1] as string;
  const fields = new Map<string, string>();
  const re = /([a-z_]+):(\[[^\]]*\]|\S+)/gy;
  let pos = 0;
  while (pos < body.length) {
    while (body[pos] === ' ') pos++;
    if (pos >= body.length) break;
    re.lastIndex = pos;
    const f = re.exec(body);
    if (!f) throw new Error(`unexpected ${JSON.stringify(body.slice(pos))} in histogram description, expected a key such as buckets:[5 10 7]`);
    fields.set(f[1] as string, f[2] as string);
    pos = re.lastIndex;
  }
  const list = (k: string): number[] => {
    const v = fields.get(k);
    if (v === undefined) return [];
    if (!/^\[.*\]$/.test(v)) throw new Error(`error parsing ${k}: expected [n n …], got ${v}`);
    return v
      .slice(1, -1)
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map((x) => {
        if (!new RegExp(`^${NUM}$`).test(x)) throw new Error(`error parsing ${k}: bad number ${x}`);
        return num(x);
      });
  };
  const scalar = (k: string, int = false): number => {
    const v = fields.get(k);
    if (v === undefined) return 0;
    if (!new RegExp(`^${NUM}$`).test(v) || (int && !/^[+-]?\d+$/.test(v))) throw new Error(`error parsing ${k} number: ${v}`);
    return num(v);
  };
  const known = new Set(['schema', 'sum', 'count', 'z_bucket', 'z_bucket_w', 'custom_values', 'buckets', 'offset', 'n_buckets', 'n_offset', 'counter_reset_hint']);
  for (const k of fields.keys()) if (!known.has(k)) throw new Error(`unknown histogram description key ${k}`);
  const hintText = fields.get('counter_reset_hint');
  const hints: Record<string, CounterResetHint> = { unknown: 'unknown', reset: 'reset', not_reset: 'not_reset', gauge: 'gauge' };
  if (hintText !== undefined && hints[hintText] === undefined) throw new Error(`invalid counter_reset_hint ${hintText}`);
  return {
    schema: scalar('schema', true),
    count: scalar('count'),
    sum: scalar('sum'),
    zeroCount: scalar('z_bucket'),
    zeroThreshold: scalar('z_bucket_w'),
    customValues: list('custom_values'),
    positive: buckets(scalar('offset', true), list('buckets')),
    negative: buckets(scalar('n_offset', true), list('n_buckets')),
    hint: hints[hintText ?? 'unknown'] as CounterResetHint,
    hintSet: hintText !== undefined,
  };
}

function combine(a: ReadonlyMap<number, number>, b: ReadonlyMap<number, number>, sign: 1 | -1): Map<number, number> {
  const out = new Map(a);
  for (const [i, v] of b) out.set(i, (out.get(i) ?? 0) + sign * v);
  return out;
}

/** a + b (or a − b) as FloatHistogram.Add/Sub for histograms of one schema. */
export function addHistograms(a: TestHistogram, b: TestHistogram, sign: 1 | -1): TestHistogram {
  if (a.schema > b.schema) throw new Error(`error combining histograms: cannot merge from schema ${b.schema} to ${a.schema}`);
  if (a.schema !== b.schema) throw new Error(`error combining histograms: schemas ${a.schema} and ${b.schema} differ (not supported by vigil rules test)`);
  return {
    ...a,
    count: a.count + sign * b.count,
    sum: a.sum + sign * b.sum,
    zeroCount: a.zeroCount + sign * b.zeroCount,
    zeroThreshold: Math.max(a.zeroThreshold, b.zeroThreshold),
    positive: combine(a.positive, b.positive, sign),
    negative: combine(a.negative, b.negative, sign),
  };
}

/** Whether going from `prev` to `next` is a counter reset (a count or bucket went down). */
export function isCounterReset(prev: TestHistogram, next: TestHistogram): boolean {
  if (next.schema !== prev.schema || next.count < prev.count || next.zeroCount < prev.zeroCount) return true;
  for (const [i, v] of prev.positive) if ((next.positive.get(i) ?? 0) < v) return true;
  for (const [i, v] of prev.negative) if ((next.negative.get(i) ?? 0) < v) return true;
  return false;
}

const g = (v: number): string => formatFloat(v, 'g', -1);

function dense(m: ReadonlyMap<number, number>): { offset: number; values: number[] } | undefined {
  const idx = [...m.entries()].filter(([, v]) => v !== 0).map(([i]) => i);
  if (idx.length === 0) return undefined;
  const lo = minOf(idx);
  const hi = maxOf(idx);
  const values: number[] = [];
  for (let i = lo; i <= hi; i++) values.push(m.get(i) ?? 0);
  return { offset: lo, values };
}

/** FloatHistogram.TestExpression (after Compact): the canonical text both sides are compared by. */
export function histogramTestExpression(h: TestHistogram): string {
  const res: string[] = [];
  if (h.schema !== 0) res.push(`schema:${h.schema}`);
  if (h.count !== 0) res.push(`count:${g(h.count)}`);
  if (h.sum !== 0) res.push(`sum:${g(h.sum)}`);
  if (h.zeroCount !== 0) res.push(`z_bucket:${g(h.zeroCount)}`);
  if (h.zeroThreshold !== 0) res.push(`z_bucket_w:${g(h.zeroThreshold)}`);
  if (h.customValues.length > 0) res.push(`custom_values:[${h.customValues.map(g).join(' ')}]`);
  if (h.hint !== 'unknown') res.push(`counter_reset_hint:${h.hint}`);
  for (const [m, key, off] of [
    [h.positive, 'buckets', 'offset'],
    [h.negative, 'n_buckets', 'n_offset'],
  ] as const) {
    const d = dense(m);
    if (!d) continue;
    if (d.offset !== 0) res.push(`${off}:${d.offset}`);
    res.push(`${key}:[${d.values.map(g).join(' ')}]`);
  }
  return `{{${res.join(' ')}}}`;
}

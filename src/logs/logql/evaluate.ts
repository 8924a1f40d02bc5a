import type { LogStore } from '../store/log-store.js';
import type { Direction } from '../store/select.js';
import { nsString, type LogEntry } from '../types.js';
import type { Expr, LogExpr, PipeState } from './ast.js';
import { labelKey, sortedLabels, type CollectRuns } from './counting.js';
import { evalMetric, type SeriesPoints } from './metrics.js';
import {
  checkEntries,
  checkPoints,
  checkQueryLength,
  checkSeries,
  DEFAULT_LOG_QUERY_LIMITS,
  maxRange,
  QueryGuard,
  tooManySamples,
  type LogQueryLimits,
} from './limits.js';
import { parseLogQL } from './parser.js';
import { initialLabels } from './stages.js';
import { formatValue, parseBytes, parseGoDuration } from './values.js';

export interface StreamResult {
  stream: Record<string, string>;
  values: Array<[string, string]>;
}
export interface VectorSample {
  metric: Record<string, string>;
  value: [number, string];
}
export interface MatrixSeries {
  metric: Record<string, string>;
  values: Array<[number, string]>;
}
export type QueryResult =
  | { resultType: 'streams'; result: StreamResult[] }
  | { resultType: 'vector'; result: VectorSample[] }
  | { resultType: 'matrix'; result: MatrixSeries[] }
  | { resultType: 'scalar'; result: [number, string] };

export interface RangeQueryParams {
  /** Milliseconds; log queries read start ≤ t < end, metric queries evaluate at start, start+step, … ≤ end. */
  start: number;
  end: number;
  /** Milliseconds between metric evaluation steps; default defaultStep(start, end). */
  step?: number;
  /** Maximum lines for log queries (default 100, as Loki). */
  limit?: number;
  direction?: Direction;
  /** What the query may cost (defaults: DEFAULT_LOG_QUERY_LIMITS). */
  limits?: Partial<LogQueryLimits>;
  /** Aborting stops the query with LogQueryCanceledError. */
  signal?: AbortSignal;
  /** Read every line and keep every series, as written (no line statistics, no early `sum`): the reference the fast paths are tested against. */
  scan?: boolean;
}

export interface InstantQueryParams {
  time: number;
  limit?: number;
  direction?: Direction;
  /** How far back an instant *log* query reads (default 1h). */
  lookbackMs?: number;
  limits?: Partial<LogQueryLimits>;
  signal?: AbortSignal;
  scan?: boolean;
}

function guardFor(p: { limits?: Partial<LogQueryLimits>; signal?: AbortSignal }): QueryGuard {
  return new QueryGuard({ ...DEFAULT_LOG_QUERY_LIMITS, ...p.limits }, p.signal);
}

/** Loki's default step: enough for ~250 points, at least 1s. */
export function defaultStep(start: number, end: number): number {
  return Math.max(1000, Math.ceil((end - start) / 250 / 1000) * 1000);
}

/** Runs a line through a log expression's stages; null when a stage drops it. */
export function runPipeline(expr: LogExpr, e: LogEntry): PipeState | null {
  const s: PipeState = { labels: initialLabels(e.labels, e.fields), line: e.line, t: e.t, stream: e.labels };
  for (const st of expr.stages) if (!st.run(s)) return null;
  return s;
}

export function selectLines(store: LogStore, expr: LogExpr, start: number, end: number, direction: Direction): AsyncIterable<LogEntry> {
  const filters = expr.lineFilters;
  return store.select(expr.matchers, start, end, direction, Infinity, filters.length ? (e) => filters.every((f) => f(e.line)) : undefined);
}

async function evalLog(store: LogStore, expr: LogExpr, start: number, end: number, direction: Direction, limit: number, guard: QueryGuard): Promise<QueryResult> {
  checkEntries(guard.limits, limit);
  checkQueryLength(guard.limits, start, end, 0);
  const streams = new Map<string, StreamResult>();
  let n = 0;
  let seen = 0;
  if (limit > 0) {
    for await (const e of selectLines(store, expr, start, end, direction)) {
      if ((++seen & 1023) === 0) await guard.pace();
      const s = runPipeline(expr, e);
      if (!s) continue;
      const key = labelKey(s.labels);
      let sr = streams.get(key);
      if (!sr) streams.set(key, (sr = { stream: sortedLabels(s.labels), values: [] }));
      sr.values.push([nsString(e.t, e.ns), s.line]);
      if (++n >= limit) break;
    }
  }
  return { resultType: 'streams', result: [...streams.values()] };
}

function unwrapValue(expr: LogExpr, labels: Record<string, string>): number {
  const u = expr.unwrap!;
  const raw = labels[u.label];
  if (raw === undefined) return NaN;
  switch (u.conversion) {
    case 'float': return raw.trim() === '' ? NaN : Number(raw);
    case 'duration': return parseGoDuration(raw) ?? NaN;
    case 'bytes': return parseBytes(raw) ?? NaN;
    default: return NaN;
  }
}

/**
 * Reads every line a range aggregation needs once and turns it into per-series points:
 * (t, value) where value is 1 (count), the line's bytes, or the unwrapped number. Lines
 * whose unwrap label does not convert are skipped.
 */
async function collectPoints(
  store: LogStore,
  expr: LogExpr,
  from: number,
  to: number,
  keepLabels: (l: Record<string, string>) => Record<string, string>,
  needBytes: boolean,
  guard: QueryGuard,
): Promise<Map<string, SeriesPoints>> {
  const out = new Map<string, SeriesPoints>();
  let seen = 0;
  let held = 0;
  const max = guard.limits.maxSamples;
  for await (const e of selectLines(store, expr, from, to, 'forward')) {
    if ((++seen & 1023) === 0) await guard.pace();
    const s = runPipeline(expr, e);
    if (!s) continue;
    let v: number;
    if (expr.unwrap) {
      v = unwrapValue(expr, s.labels);
      if (Number.isNaN(v)) continue;
      delete s.labels[expr.unwrap.label];
    } else v = needBytes ? Buffer.byteLength(s.line, 'utf8') : 1;
    const labels = keepLabels(s.labels);
    const key = labelKey(labels);
    let sp = out.get(key);
    if (!sp) out.set(key, (sp = { labels: sortedLabels(labels), ts: [], vs: [] }));
    if (++held > max) throw tooManySamples(guard.limits);
    sp.ts.push(e.t);
    sp.vs.push(v);
  }
  return out;
}

/** Runs from the store's line statistics, for bare stream selectors (nothing that reads a line's text). */
function storeRuns(store: LogStore, scan: boolean | undefined): CollectRuns | undefined {
  if (scan) return undefined;
  return (e, from, to, fields) => (e.stages.length || e.lineFilters.length || e.unwrap ? undefined : store.lineRuns(e.matchers, from, to, fields));
}

function compile(q: string | Expr): Expr {
  return typeof q === 'string' ? parseLogQL(q) : q;
}

export async function queryRange(store: LogStore, query: string | Expr, p: RangeQueryParams): Promise<QueryResult> {
  const expr = compile(query);
  if (p.end < p.start) throw new RangeError(`end (${p.end}) is before start (${p.start})`);
  const guard = guardFor(p);
  if (expr.kind === 'log') return evalLog(store, expr, p.start, p.end, p.direction ?? 'backward', p.limit ?? 100, guard);
  const step = p.step ?? defaultStep(p.start, p.end);
  if (!(step > 0)) throw new RangeError(`step must be positive, got ${step}`);
  // Everything the query alone decides is checked before a line is read or a step is built.
  checkPoints(guard.limits, p.start, p.end, step);
  checkQueryLength(guard.limits, p.start, p.end, maxRange(expr));
  const steps: number[] = [];
  for (let t = p.start; t <= p.end; t += step) steps.push(t);
  const series = await evalMetric(
    expr,
    steps,
    (e, from, to, keep, needBytes) => collectPoints(store, e, from, to, keep, needBytes, guard),
    () => guard.pace(),
    storeRuns(store, p.scan),
  );
  if (series.kind === 'series') checkSeries(guard.limits, series.series.length);
  if (series.kind === 'scalar') {
    return { resultType: 'matrix', result: [{ metric: {}, values: steps.map((t) => [t / 1000, String(series.value)]) }] };
  }
  return {
    resultType: 'matrix',
    result: series.series.map((s) => ({ metric: s.labels, values: s.points.map(([t, v]) => [t / 1000, formatNum(v)]) })),
  };
}

export async function queryInstant(store: LogStore, query: string | Expr, p: InstantQueryParams): Promise<QueryResult> {
  const expr = compile(query);
  const guard = guardFor(p);
  if (expr.kind === 'log') return evalLog(store, expr, p.time - (p.lookbackMs ?? 3600_000), p.time + 1, p.direction ?? 'backward', p.limit ?? 100, guard);
  checkQueryLength(guard.limits, p.time, p.time, maxRange(expr));
  const series = await evalMetric(
    expr,
    [p.time],
    (e, from, to, keep, needBytes) => collectPoints(store, e, from, to, keep, needBytes, guard),
    () => guard.pace(),
    storeRuns(store, p.scan),
  );
  if (series.kind === 'series') checkSeries(guard.limits, series.series.filter((s) => s.points.length).length);
  if (series.kind === 'scalar') return { resultType: 'scalar', result: [p.time / 1000, String(series.value)] };
  return {
    resultType: 'vector',
    result: series.series.filter((s) => s.points.length).map((s) => ({ metric: s.labels, value: [p.time / 1000, formatNum(s.points[0]![1])] })),
  };
}

const formatNum = formatValue;

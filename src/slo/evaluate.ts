import type { Labels } from '../model/labels.js';
import type { SliQueries } from './sli.js';
import { promDuration } from './window.js';

/** An instant PromQL query: the vector (a scalar as one sample without labels) at `t` (ms). */
export type InstantQueryFn = (expr: string, t: number) => Promise<ReadonlyArray<{ readonly labels: Labels; readonly v: number }>>;

export interface Interval {
  readonly start: number;
  readonly end: number;
}

/** Pieces shorter than this are left out of a window cut by maintenance (no rate fits in them). */
export const MIN_SEGMENT_MS = 1000;

/** [from, to) minus the sorted, disjoint `holes` ([start, end) each). */
export function subtract(from: number, to: number, holes: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let at = from;
  for (const h of holes) {
    if (h.end <= at || h.start >= to) continue;
    if (h.start > at) out.push({ start: at, end: h.start });
    at = Math.max(at, h.end);
  }
  if (at < to) out.push({ start: at, end: to });
  return out;
}

/**
 * The pieces of the window (from, to] outside the holes, as PromQL ranges (start, end]
 * evaluated at `end`: a sample at time t is in maintenance when start ≤ t < end of a hole, so
 * the piece before a hole ends 1 ms before it and the piece after it starts 1 ms before its
 * end (timestamps are whole milliseconds).
 */
export function pieces(from: number, to: number, holes: readonly Interval[]): Interval[] {
  return subtract(from, to, holes).map((p) => ({ start: p.start === from ? from : p.start - 1, end: p.end === to ? to : p.end - 1 }));
}

/** The one value of a query meant to give one sample; undefined when it gives none. */
export async function scalarOf(query: InstantQueryFn, expr: string, t: number): Promise<number | undefined> {
  const r = await query(expr, t);
  if (r.length === 0) return undefined;
  if (r.length > 1) throw new Error(`expected one series, got ${r.length}`);
  const v = (r[0] as { v: number }).v;
  return Number.isNaN(v) ? undefined : v;
}

export interface Events {
  readonly bad: number;
  readonly total: number;
}

/**
 * Bad and total events over [from, to) minus `holes`, each piece measured at its end with its
 * own length as the range. Rates are turned into counts (× the piece's seconds), so pieces of
 * different lengths add up. Undefined when no piece has traffic. `totalOnly`: the bad events are
 * not queried (reported as 0) for callers that need only the total.
 */
export async function countEvents(query: InstantQueryFn, q: SliQueries, from: number, to: number, holes: readonly Interval[], opts: { readonly totalOnly?: boolean } = {}): Promise<Events | undefined> {
  let bad = 0;
  let total = 0;
  let any = false;
  for (const s of pieces(from, to, holes)) {
    const len = s.end - s.start;
    if (len < MIN_SEGMENT_MS) continue;
    const w = promDuration(len);
    const [b, t] = await Promise.all([opts.totalOnly ? undefined : scalarOf(query, q.bad(w), s.end), scalarOf(query, q.total(w), s.end)]);
    if (t === undefined) continue;
    const k = q.unit === 'rate' ? len / 1000 : 1;
    any = true;
    total += t * k;
    bad += (b ?? 0) * k;
  }
  return any ? { bad, total } : undefined;
}

/**
 * The error ratio over [from, to) minus `holes`: with no holes, the SLI's one-sample error
 * ratio with the whole span as its range (the PromQL `expr` returned is what Prometheus would
 * evaluate at `to` to get the same number); with holes, bad over total events of the pieces.
 */
export async function errorRatio(query: InstantQueryFn, q: SliQueries, from: number, to: number, holes: readonly Interval[]): Promise<{ ratio: number | undefined; expr?: string }> {
  const parts = subtract(from, to, holes);
  if (parts.length === 1 && parts[0]?.start === from && parts[0].end === to) {
    const expr = q.errorRatio(promDuration(to - from));
    return { ratio: await scalarOf(query, expr, to), expr };
  }
  const e = await countEvents(query, q, from, to, holes);
  if (!e || e.total === 0) return { ratio: undefined };
  return { ratio: e.bad / e.total };
}

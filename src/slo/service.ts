import type { Clock } from '../model/clock.js';
import { invalid, notFound } from '../model/errors.js';
import type { CompiledSlo } from './compile.js';
import { countEvents, errorRatio, scalarOf, type InstantQueryFn, type Interval } from './evaluate.js';
import { RATE_WINDOWS } from './rules.js';
import { budgetOf, type SloSpec } from './spec.js';
import { budgetFrom, EPSILON, stateOf, type Budget, type SloState } from './status.js';
import { periodAt, promDuration } from './window.js';

/** An incident as SLOs see it: when it was open and which services it affected. */
export interface IncidentSpan {
  readonly id: string;
  readonly title: string;
  readonly severity: string;
  readonly status: string;
  readonly services: readonly string[];
  readonly openedAt: number;
  /** null while open. */
  readonly resolvedAt: number | null;
}

/** How much of an SLO's budget an incident's time span consumed. */
export interface IncidentConsumption {
  readonly id: string;
  readonly title: string;
  readonly severity: string;
  readonly status: string;
  /** The part of the incident inside the measured period. */
  readonly start: number;
  /** null while the incident is open (measured up to now). */
  readonly end: number | null;
  /** Bad events during the span (rate SLIs: estimated from rates × seconds). */
  readonly badEvents: number;
  /** Fraction of the period's error budget the span consumed. */
  readonly consumed: number;
}

/** One SLO evaluated at one time. */
export interface SloStatus {
  readonly slo: SloSpec;
  readonly evaluatedAt: number;
  /** The budget period: a rolling window's [now − window, now]; a calendar period's start and end. */
  readonly period: { readonly start: number; readonly end: number };
  /** Good events over the window so far as a fraction (0.9932), from raw data; null without data. */
  readonly sli: number | null;
  readonly budget: Budget;
  /** Error ratio over each window divided by the budget, keyed `5m` … `3d`; null without data. */
  readonly burnRates: Readonly<Record<string, number | null>>;
  readonly status: SloState;
  readonly incidents: readonly IncidentConsumption[];
  /** Why numbers are missing (no data, a query that failed, a latency threshold that is not a bucket). */
  readonly problems: readonly string[];
  /**
   * The PromQL behind the numbers, evaluated at `evaluatedAt`: the error ratio over the window
   * (absent when maintenance cut it into pieces) and per burn-rate window.
   */
  readonly promql: { readonly errorRatio?: string; readonly burnRates: Readonly<Record<string, string>> };
}

/** An SLO over a fixed past interval (a month for the SLA report). */
export interface SloReport {
  readonly slo: SloSpec;
  readonly from: number;
  readonly to: number;
  readonly sli: number | null;
  readonly budget: Budget;
  /** met: the SLI reached the objective; breached: it did not; no_data: nothing was measured. */
  readonly result: 'met' | 'breached' | 'no_data';
  /** objective/100 − sli when breached (the shortfall as a fraction), else 0. */
  readonly deficit: number;
  readonly incidents: readonly IncidentConsumption[];
  readonly problems: readonly string[];
}

export interface SloHistoryPoint {
  readonly t: number;
  readonly sli: number | null;
  readonly consumed: number | null;
  readonly remaining: number | null;
}

export interface SloServiceOptions {
  readonly query: InstantQueryFn;
  readonly clock: Clock;
  /** The time a service spent in maintenance between two times (sorted, disjoint intervals). */
  readonly maintenance?: (service: string, from: number, to: number) => Interval[];
  /** Incidents open at any time between two times. */
  readonly incidents?: (from: number, to: number) => Promise<readonly IncidentSpan[]>;
  /** SLOs evaluated at once by list(). Default 4. */
  readonly concurrency?: number;
}

/** At most this many points in a history answer. */
export const MAX_HISTORY_POINTS = 1000;
const DEFAULT_HISTORY_POINTS = 200;

async function pool<T, R>(items: readonly T[], n: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i] as T);
      }
    }),
  );
  return out;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * The query function for one answer: the same expression at the same time is evaluated once
 * and its result shared (SLOs with the same SLI, an SLO whose window is one of the burn-rate
 * windows, the total over the window asked again for incidents). Same expression, same time,
 * same data: the numbers are those of evaluating each one on its own.
 */
export function memoized(query: InstantQueryFn): InstantQueryFn {
  const seen = new Map<string, ReturnType<InstantQueryFn>>();
  return (expr, t) => {
    const key = `${t} ${expr}`;
    let r = seen.get(key);
    if (!r) {
      r = query(expr, t);
      seen.set(key, r);
    }
    return r;
  };
}

/**
 * Evaluates SLOs on demand from the metrics (the injected query function: Vigil's PromQL engine,
 * or a remote Prometheus): SLI, error budget, burn rates, state, and the incidents that consumed
 * budget. Nothing is cached across answers: every answer is computed from raw data at the time
 * it is asked; within one answer each distinct query is evaluated once ({@link memoized}), and
 * list() calls that arrive while one is being computed share its answer (they see its
 * `evaluatedAt`, a moment before they asked).
 */
export class SloService {
  private slos = new Map<string, CompiledSlo>();
  private listing: Promise<SloStatus[]> | undefined;

  constructor(private readonly opts: SloServiceOptions) {}

  /** Replaces the SLOs (start and reload). */
  set(slos: readonly CompiledSlo[]): void {
    this.slos = new Map(slos.map((s) => [s.spec.name, s]));
    this.listing = undefined;
  }

  /** Every SLO's definition, sorted by name. */
  definitions(): SloSpec[] {
    return [...this.slos.values()].map((s) => s.spec).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  has(name: string): boolean {
    return this.slos.has(name);
  }

  private compiled(name: string): CompiledSlo {
    const c = this.slos.get(name);
    if (!c) throw notFound(`SLO ${name}`);
    return c;
  }

  /** Every SLO's status now (or at `at`, for a report), sorted by name. */
  list(at?: number): Promise<SloStatus[]> {
    if (at !== undefined) return this.listAt(at);
    if (this.listing) return this.listing;
    const p = this.listAt(this.opts.clock.now()).finally(() => {
      if (this.listing === p) this.listing = undefined;
    });
    this.listing = p;
    return p;
  }

  private async listAt(now: number): Promise<SloStatus[]> {
    const all = this.definitions().map((s) => this.compiled(s.name));
    let from = now;
    for (const c of all) from = Math.min(from, periodAt(c.spec.window, now).start);
    // the incidents of the widest window, read once for every SLO
    const incidents = await this.incidentsBetween(from, now);
    const query = memoized(this.opts.query);
    return pool(all, this.opts.concurrency ?? 4, (c) => this.statusOf(c, now, incidents, query));
  }

  async get(name: string): Promise<SloStatus> {
    const c = this.compiled(name);
    const now = this.opts.clock.now();
    const p = periodAt(c.spec.window, now);
    return this.statusOf(c, now, await this.incidentsBetween(p.start, now), memoized(this.opts.query));
  }

  /** SLOs whose budget is at risk or spent (the handoff's "SLO budgets at risk"). */
  async atRisk(): Promise<SloStatus[]> {
    return (await this.list()).filter((s) => s.status !== 'ok');
  }

  private async incidentsBetween(from: number, to: number): Promise<readonly IncidentSpan[]> {
    if (!this.opts.incidents) return [];
    return this.opts.incidents(from, to);
  }

  private holes(spec: SloSpec, from: number, to: number): Interval[] {
    return spec.excludeMaintenance && this.opts.maintenance ? this.opts.maintenance(spec.service, from, to) : [];
  }

  private async explainMissing(c: CompiledSlo, from: number, to: number, query: InstantQueryFn): Promise<string> {
    const q = c.queries;
    const w = promDuration(to - from);
    if (q.explain && (await scalarOf(query, q.total(w), to)) !== undefined) {
      const r = await query(q.explain.expr, to);
      const found = r.map((s) => s.labels[q.explain?.label ?? ''] ?? '').filter(Boolean);
      found.sort((a, b) => Number(a) - Number(b));
      const d = q.describe;
      return `no bucket of ${String(d['metric'])} has le = ${String(d['threshold'])} (its buckets: ${found.join(', ') || 'none'}); the latency threshold must be one of the histogram's bucket boundaries`;
    }
    return 'no data over the window (the total query returns nothing, or zero events)';
  }

  private async consumption(c: CompiledSlo, from: number, now: number, elapsed: number, incidents: readonly IncidentSpan[], problems: string[], query: InstantQueryFn): Promise<IncidentConsumption[]> {
    const spec = c.spec;
    const mine = incidents.filter((i) => i.services.includes(spec.service) && i.openedAt < now && (i.resolvedAt ?? now) > from);
    if (mine.length === 0) return [];
    try {
      const all = await countEvents(query, c.queries, from, now, this.holes(spec, from, now), { totalOnly: true });
      const budget = budgetOf(spec.objective);
      const out: IncidentConsumption[] = [];
      for (const i of mine.slice(0, 100)) {
        const start = Math.max(i.openedAt, from);
        const end = Math.min(i.resolvedAt ?? now, now);
        const ev = await countEvents(query, c.queries, start, end, this.holes(spec, start, end));
        const bad = ev?.bad ?? 0;
        out.push({
          id: i.id,
          title: i.title,
          severity: i.severity,
          status: i.status,
          start,
          end: i.resolvedAt === null ? null : end,
          badEvents: bad,
          consumed: all && all.total > 0 ? (bad * elapsed) / (budget * all.total) : 0,
        });
      }
      return out.sort((a, b) => b.consumed - a.consumed || b.start - a.start);
    } catch (e) {
      problems.push(`incidents: ${message(e)}`);
      return [];
    }
  }

  private async statusOf(c: CompiledSlo, now: number, incidents: readonly IncidentSpan[], query: InstantQueryFn): Promise<SloStatus> {
    const spec = c.spec;
    const p = periodAt(spec.window, now);
    const from = p.start;
    const periodMs = spec.window.kind === 'rolling' ? spec.window.ms : p.end - p.start;
    const elapsed = spec.window.kind === 'rolling' ? 1 : (now - p.start) / periodMs;
    const problems: string[] = [];
    const total = budgetOf(spec.objective);
    const burnExprs: Record<string, string> = {};
    const burnRates: Record<string, number | null> = {};
    const [sli] = await Promise.all([
      (async () => {
        try {
          return await errorRatio(query, c.queries, from, now, this.holes(spec, from, now));
        } catch (e) {
          problems.push(`sli: ${message(e)}`);
          return { ratio: undefined };
        }
      })(),
      ...RATE_WINDOWS.map(async (ms) => {
        const w = promDuration(ms);
        const expr = c.queries.errorRatio(w);
        burnExprs[w] = expr;
        try {
          const r = await scalarOf(query, expr, now);
          burnRates[w] = r === undefined ? null : r / total;
        } catch (e) {
          burnRates[w] = null;
          problems.push(`burn rate ${w}: ${message(e)}`);
        }
      }),
    ]);
    const rates: Record<string, number | null> = {};
    for (const ms of RATE_WINDOWS) rates[promDuration(ms)] = burnRates[promDuration(ms)] ?? null;
    if (sli.ratio === undefined && problems.length === 0) {
      try {
        problems.push(await this.explainMissing(c, from, now, query));
      } catch (e) {
        problems.push(`sli: ${message(e)}`);
      }
    }
    const budget = budgetFrom(total, sli.ratio, elapsed, periodMs);
    const consumed = await this.consumption(c, from, now, elapsed, incidents, problems, query);
    return {
      slo: spec,
      evaluatedAt: now,
      period: spec.window.kind === 'rolling' ? { start: from, end: now } : p,
      sli: sli.ratio === undefined ? null : 1 - sli.ratio,
      budget,
      burnRates: rates,
      status: stateOf(budget, rates),
      incidents: consumed,
      problems,
      promql: { ...(sli.expr ? { errorRatio: sli.expr } : {}), burnRates: burnExprs },
    };
  }

  /**
   * The SLO over [from, to) as a period of its own: SLI, budget (of that period), whether the
   * objective was met, the shortfall, and the incidents that consumed budget. For reports on
   * past periods (the monthly SLA report), and the incident report's impact assessment.
   */
  async report(name: string, from: number, to: number): Promise<SloReport> {
    if (!(to > from)) throw invalid('the end of the period must be after its start');
    const c = this.compiled(name);
    const spec = c.spec;
    const problems: string[] = [];
    const query = memoized(this.opts.query);
    let ratio: number | undefined;
    try {
      ratio = (await errorRatio(query, c.queries, from, to, this.holes(spec, from, to))).ratio;
      if (ratio === undefined) problems.push(await this.explainMissing(c, from, to, query));
    } catch (e) {
      problems.push(`sli: ${message(e)}`);
    }
    const budget = budgetFrom(budgetOf(spec.objective), ratio, 1, to - from);
    const incidents = await this.consumption(c, from, to, 1, await this.incidentsBetween(from, to), problems, query);
    const sli = ratio === undefined ? null : 1 - ratio;
    const target = spec.objective / 100;
    return {
      slo: spec,
      from,
      to,
      sli,
      budget,
      result: sli === null ? 'no_data' : sli >= target - EPSILON ? 'met' : 'breached',
      deficit: sli !== null && sli < target - EPSILON ? target - sli : 0,
      incidents,
      problems,
    };
  }

  /**
   * The SLI and budget as they stood at each step between `from` and `to` (each point measured
   * over the window that ended then). `step` defaults to a 200th of the range (at least 1m).
   */
  async history(name: string, from: number, to: number, step?: number): Promise<{ from: number; to: number; step: number; points: SloHistoryPoint[] }> {
    const c = this.compiled(name);
    if (!(to >= from)) throw invalid('to must not be before from');
    const s = step ?? Math.max(60_000, Math.ceil((to - from) / DEFAULT_HISTORY_POINTS / 60_000) * 60_000);
    if (!(s > 0)) throw invalid('step must be positive');
    if ((to - from) / s + 1 > MAX_HISTORY_POINTS) throw invalid(`at most ${MAX_HISTORY_POINTS} points: use a step of at least ${promDuration(Math.ceil((to - from) / (MAX_HISTORY_POINTS - 1) / 1000) * 1000)}`);
    const times: number[] = [];
    for (let t = from; t <= to; t += s) times.push(t);
    const spec = c.spec;
    const total = budgetOf(spec.objective);
    const points = await pool(times, this.opts.concurrency ?? 4, async (t): Promise<SloHistoryPoint> => {
      const p = periodAt(spec.window, t);
      const periodMs = spec.window.kind === 'rolling' ? spec.window.ms : p.end - p.start;
      const elapsed = spec.window.kind === 'rolling' ? 1 : (t - p.start) / periodMs;
      if (t <= p.start) return { t, sli: null, consumed: 0, remaining: 1 };
      const r = await errorRatio(this.opts.query, c.queries, p.start, t, this.holes(spec, p.start, t));
      const b = budgetFrom(total, r.ratio, elapsed, periodMs);
      return { t, sli: r.ratio === undefined ? null : 1 - r.ratio, consumed: b.consumed, remaining: b.remaining };
    });
    return { from, to, step: s, points };
  }
}

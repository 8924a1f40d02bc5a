import { SampleLimitError, type Queryable, type Querier, type StorageSeries } from '../storage/querier.js';
import type { Expr, VectorSelector } from './ast.js';
import { typeOf } from './checks.js';
import { durationMs, type DurationContext } from './duration-expr.js';
import { ExecutionError, lineCol, PromQLError, QueryCanceledError, QueryTimeoutError, TooManyStepsError, type PositionRange } from './errors.js';
import { EvalContext } from './eval-context.js';
import { Evaluator, type EvalValue } from './evaluator.js';
import { parseExpr } from './parser.js';
import { finishInstant, finishRange } from './result.js';
import { infoPlan, infoTiming } from './info.js';
import { QuerySlots } from './query-slots.js';
import type { QueryResult } from './value.js';
import { maxOf, minOf } from '../model/arrays.js';

export interface EngineOptions {
  /** How far back an instant selector looks for the latest sample (default 5m). */
  readonly lookbackDeltaMs?: number;
  /** Per-query wall-clock limit (default 2m); exceeding it fails with errorType `timeout`. */
  readonly timeoutMs?: number;
  /**
   * Most samples (points) a query's evaluation may hold at once (default 1,000,000); exceeding it
   * fails with `execution`, as Prometheus's query.max-samples.
   */
  readonly maxSamples?: number;
  /**
   * Most samples a query may read from storage, all selectors together (default 20,000,000);
   * exceeding it fails with `execution` before the samples are decoded where the store can tell.
   */
  readonly maxFetchedSamples?: number;
  /**
   * Most samples a query's evaluation may go through in total, over all its steps and operators
   * (default 20,000,000): every step at which a selector or range function visits a series, and
   * every point an operator or function produces. Exceeding it fails with `execution`; it bounds
   * the CPU one query can take, where max-samples bounds its memory.
   */
  readonly maxTotalSamples?: number;
  /** Most steps a range query may have per series (default 11,000, as Prometheus); more is `bad_data`. */
  readonly maxPointsPerSeries?: number;
  /** Most steps at which one subquery may evaluate its expression (default 200,000); more is `bad_data`. */
  readonly maxSubquerySteps?: number;
  /** Queries evaluated at once (default 4); the rest wait their turn, within their timeout. */
  readonly maxConcurrent?: number;
  /** Step of subqueries written without one (`[1h:]`), default 1m. */
  readonly subqueryStepMs?: number;
}

/**
 * Defaults sized for one process sharing its heap with ingest: an evaluated point costs about
 * 76 bytes (a plain selector) to 320 bytes (through a binary operator), a fetched sample 16.
 */
export const DEFAULT_QUERY_LIMITS = {
  maxSamples: 1_000_000,
  maxFetchedSamples: 20_000_000,
  maxTotalSamples: 20_000_000,
  maxPointsPerSeries: 11_000,
  maxSubquerySteps: 200_000,
  maxConcurrent: 4,
} as const;

export interface QueryOptions {
  /** Aborting cancels the query with errorType `canceled` (checked between evaluation steps). */
  readonly signal?: AbortSignal;
}

interface Fetch {
  readonly sel: VectorSelector;
  readonly start: number;
  readonly end: number;
  readonly range?: number;
  readonly func?: string;
  /** Evaluated at one time only (see SelectHints.latest). */
  readonly latest?: boolean;
}

/** A PromQL engine over any Queryable. Stateless between queries; safe to share. */
export class Engine {
  private readonly lookbackMs: number;
  private readonly timeoutMs: number;
  private readonly maxSamples: number;
  private readonly maxFetchedSamples: number;
  private readonly maxTotalSamples: number;
  private readonly maxPointsPerSeries: number;
  private readonly maxSubquerySteps: number;
  private readonly subqueryStepMs: number;
  private readonly slots: QuerySlots;

  constructor(opts: EngineOptions = {}) {
    this.lookbackMs = opts.lookbackDeltaMs ?? 300_000;
    this.timeoutMs = opts.timeoutMs ?? 120_000;
    this.maxSamples = opts.maxSamples ?? DEFAULT_QUERY_LIMITS.maxSamples;
    this.maxFetchedSamples = opts.maxFetchedSamples ?? DEFAULT_QUERY_LIMITS.maxFetchedSamples;
    this.maxTotalSamples = opts.maxTotalSamples ?? DEFAULT_QUERY_LIMITS.maxTotalSamples;
    this.maxPointsPerSeries = opts.maxPointsPerSeries ?? DEFAULT_QUERY_LIMITS.maxPointsPerSeries;
    this.maxSubquerySteps = opts.maxSubquerySteps ?? DEFAULT_QUERY_LIMITS.maxSubquerySteps;
    this.subqueryStepMs = opts.subqueryStepMs ?? 60_000;
    this.slots = new QuerySlots(opts.maxConcurrent ?? DEFAULT_QUERY_LIMITS.maxConcurrent);
  }

  async instantQuery(queryable: Queryable, expr: string | Expr, timeMs: number, opts: QueryOptions = {}): Promise<QueryResult> {
    const ast = typeof expr === 'string' ? parseExpr(expr) : expr;
    const { value, ev } = await this.run(queryable, ast, typeof expr === 'string' ? expr : '', timeMs, timeMs, 0, opts);
    return finishInstant(value, ev, timeMs);
  }

  async rangeQuery(queryable: Queryable, expr: string | Expr, startMs: number, endMs: number, stepMs: number, opts: QueryOptions = {}): Promise<QueryResult> {
    const ast = typeof expr === 'string' ? parseExpr(expr) : expr;
    if (!(stepMs > 0)) throw new PromQLError('bad_data', 'zero or negative query resolution step widths are not accepted. Try a positive integer');
    if (endMs < startMs) throw new PromQLError('bad_data', 'end timestamp must not be before start time');
    if ((endMs - startMs) / stepMs > this.maxPointsPerSeries) {
      throw new PromQLError(
        'bad_data',
        `exceeded maximum resolution of ${this.maxPointsPerSeries.toLocaleString('en-US')} points per timeseries. Try decreasing the query resolution (?step=XX)`,
      );
    }
    const t = typeOf(ast);
    if (t !== 'scalar' && t !== 'vector') {
      throw new PromQLError('bad_data', `invalid expression type "${t === 'matrix' ? 'range vector' : t}" for range query, must be Scalar or instant Vector`);
    }
    const { value, ev } = await this.run(queryable, ast, typeof expr === 'string' ? expr : '', startMs, endMs, stepMs, opts);
    return finishRange(value, ev);
  }

  private async run(queryable: Queryable, ast: Expr, text: string, start: number, end: number, step: number, opts: QueryOptions): Promise<{ value: EvalValue; ev: Evaluator }> {
    const deadline = Date.now() + this.timeoutMs;
    const signal = opts.signal;
    const check = (where: string): void => {
      if (signal?.aborted) throw new QueryCanceledError(where);
      if (Date.now() > deadline) throw new QueryTimeoutError(where);
    };
    // Storage calls are raced against cancellation and the deadline; evaluation itself is
    // synchronous and checks both between steps and series.
    const stop = new AbortController();
    const onAbort = (): void => stop.abort(new QueryCanceledError('query preparation'));
    signal?.addEventListener('abort', onAbort, { once: true });
    let release: (() => void) | undefined;
    const timer = setTimeout(() => stop.abort(new QueryTimeoutError(release ? 'query preparation' : 'query queue')), Math.max(0, this.timeoutMs));
    try {
      release = await this.slots.acquire(stop.signal);
      if (Date.now() > deadline) throw new QueryTimeoutError('query queue');
      return await this.runGuarded(queryable, ast, text, start, end, step, signal, stop.signal, check, deadline);
    } finally {
      release?.();
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private tooManyFetched(n: number): PromQLError {
    return new PromQLError('execution', fetchedMessage(n, this.maxFetchedSamples));
  }

  private async runGuarded(
    queryable: Queryable,
    ast: Expr,
    text: string,
    start: number,
    end: number,
    step: number,
    signal: AbortSignal | undefined,
    stop: AbortSignal,
    check: (where: string) => void,
    deadline: number,
  ): Promise<{ value: EvalValue; ev: Evaluator }> {
    check('query preparation');
    const durations: DurationContext = { stepMs: step, rangeMs: end - start };
    const fetches: Fetch[] = [];
    const limits: PlanLimits = {
      subqueryStepMs: this.subqueryStepMs,
      maxSubquerySteps: this.maxSubquerySteps,
      where: (pos) => (text === '' ? `1:${pos.start + 1}` : lineCol(text, pos.start)),
    };
    // Walks the whole query before reading anything: a subquery over too many steps is refused here.
    collectFetches(ast, start, end, this.lookbackMs, durations, fetches, undefined, limits);
    const series = new Map<VectorSelector, readonly StorageSeries[]>();
    let fetched = 0;
    if (fetches.length > 0) {
      const mint = minOf(fetches.map((f) => f.start));
      const maxt = maxOf(fetches.map((f) => f.end));
      let querier: Querier | undefined;
      try {
        querier = await withSignal(queryable.querier(mint, maxt), stop);
        for (const f of fetches) {
          check('query preparation');
          const budget = this.maxFetchedSamples - fetched;
          const hints = {
            start: f.start,
            end: f.end,
            maxSamples: budget,
            ...(step > 0 ? { step } : {}),
            ...(f.func ? { func: f.func } : {}),
            ...(f.range !== undefined ? { range: f.range } : {}),
            ...(f.latest ? { latest: true } : {}),
          };
          let got: readonly StorageSeries[];
          try {
            got = await withSignal(querier.select(f.sel.matchers, hints), stop);
          } catch (e) {
            if (e instanceof SampleLimitError) throw this.tooManyFetched(fetched + e.atLeast);
            throw e;
          }
          if (got.some((s) => (s.histogramCount ?? 0) > 0)) {
            throw new ExecutionError('native histograms are not supported yet: the selected series hold native histogram samples');
          }
          for (const s of got) fetched += s.timestamps.length;
          if (fetched > this.maxFetchedSamples) throw this.tooManyFetched(fetched);
          series.set(f.sel, got);
        }
      } finally {
        querier?.close();
      }
    }
    check('query preparation');
    const ctx = new EvalContext(this.lookbackMs, start, end, durations, series, this.subqueryStepMs, this.maxSamples, this.maxSubquerySteps, deadline, signal, text, step > 0, this.maxTotalSamples);
    const ev = new Evaluator(ctx, start, end, step);
    return { value: await ev.eval(ast), ev };
  }
}

function fetchedMessage(n: number, limit: number): string {
  return (
    `query processing would load too many samples into memory in query preparation: the selectors match at least ` +
    `${n.toLocaleString('en-US')} samples, more than the limit of ${limit.toLocaleString('en-US')} (metrics.max_fetched_samples); ` +
    'narrow the selectors or the time range'
  );
}

interface PlanLimits {
  readonly subqueryStepMs: number;
  readonly maxSubquerySteps: number;
  readonly where: (pos: PositionRange) => string;
}

/** Settles with `p`, or rejects with the signal's reason (a typed PromQLError) once it aborts. */
async function withSignal<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  const reason = (): Error => (signal.reason instanceof Error ? signal.reason : new QueryCanceledError('query preparation'));
  if (signal.aborted) throw reason();
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(reason());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

function atMs(at: VectorSelector['at'], start: number, end: number, qStart: number, qEnd: number): [number, number] {
  if (at === undefined) return [start, end];
  const t = at.kind === 'time' ? at.ms : at.kind === 'start' ? qStart : qEnd;
  return [t, t];
}

/** Walks the AST computing, per selector, the time span it may read (like Prometheus's populateSeries). */
function collectFetches(
  e: Expr,
  start: number,
  end: number,
  lookback: number,
  d: DurationContext,
  out: Fetch[],
  func: string | undefined,
  lim: PlanLimits,
  q: [number, number] = [start, end],
): void {
  switch (e.type) {
    case 'VectorSelector': {
      const [s, en] = atMs(e.at, start, end, q[0], q[1]);
      const off = durationMs(e.offset, d);
      const ahead = e.modifier === 'smoothed' ? lookback : 0;
      // One evaluation time (an instant query, or `@`) and no modifier: the newest sample decides.
      const latest = s === en && e.modifier === undefined;
      out.push({ sel: e, start: s - off - lookback + 1, end: en - off + ahead, ...(func ? { func } : {}), ...(latest ? { latest } : {}) });
      return;
    }
    case 'MatrixSelector': {
      const [s, en] = atMs(e.vector.at, start, end, q[0], q[1]);
      const off = durationMs(e.vector.offset, d);
      const range = durationMs(e.range, d);
      const behind = e.vector.modifier ? lookback : 0;
      const ahead = e.vector.modifier === 'smoothed' ? lookback : 0;
      out.push({ sel: e.vector, start: s - off - range - behind + 1, end: en - off + ahead, range, ...(func ? { func } : {}) });
      return;
    }
    case 'SubqueryExpr': {
      const [s, en] = atMs(e.at, start, end, q[0], q[1]);
      const off = durationMs(e.offset, d);
      const range = durationMs(e.range, d);
      const stepMs = e.step ? durationMs(e.step, d) : lim.subqueryStepMs;
      if (stepMs > 0) {
        // The steps Evaluator.subquerySource will evaluate at (it checks again, exactly).
        const steps = Math.floor((en - s + range) / stepMs) + 1;
        if (steps > lim.maxSubquerySteps) throw new TooManyStepsError(steps, lim.maxSubquerySteps, lim.where(e.pos));
      }
      collectFetches(e.expr, s - off - range, en - off, lookback, d, out, undefined, lim, q);
      return;
    }
    case 'ParenExpr':
    case 'UnaryExpr':
      return collectFetches(e.expr, start, end, lookback, d, out, func, lim, q);
    case 'BinaryExpr':
      collectFetches(e.lhs, start, end, lookback, d, out, undefined, lim, q);
      return collectFetches(e.rhs, start, end, lookback, d, out, undefined, lim, q);
    case 'Call': {
      if (e.func === 'info') {
        const plan = infoPlan(e);
        const { at, offsetMs } = infoTiming(e.args[0] as Expr, d);
        const [s, en] = atMs(at, start, end, q[0], q[1]);
        out.push({ sel: plan.selector, start: s - offsetMs - lookback + 1, end: en - offsetMs, func: 'info' });
        return collectFetches(e.args[0] as Expr, start, end, lookback, d, out, e.func, lim, q);
      }
      for (const a of e.args) collectFetches(a, start, end, lookback, d, out, e.func, lim, q);
      return;
    }
    case 'AggregateExpr':
      if (e.param) collectFetches(e.param, start, end, lookback, d, out, undefined, lim, q);
      return collectFetches(e.expr, start, end, lookback, d, out, e.op, lim, q);
    case 'NumberLiteral':
    case 'StringLiteral':
      return;
    default: {
      const never: never = e;
      return never;
    }
  }
}

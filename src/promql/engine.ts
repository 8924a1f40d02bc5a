import type { Queryable, Querier, StorageSeries } from '../storage/querier.js';
import type { Expr, VectorSelector } from './ast.js';
import { typeOf } from './checks.js';
import { durationMs, type DurationContext } from './duration-expr.js';
import { ExecutionError, PromQLError, QueryCanceledError, QueryTimeoutError } from './errors.js';
import { EvalContext } from './eval-context.js';
import { Evaluator, type EvalValue } from './evaluator.js';
import { parseExpr } from './parser.js';
import { finishInstant, finishRange } from './result.js';
import { infoPlan, infoTiming } from './info.js';
import type { QueryResult } from './value.js';
import { maxOf, minOf } from '../model/arrays.js';

export interface EngineOptions {
  /** How far back an instant selector looks for the latest sample (default 5m). */
  readonly lookbackDeltaMs?: number;
  /** Per-query wall-clock limit (default 2m); exceeding it fails with errorType `timeout`. */
  readonly timeoutMs?: number;
  /** Most samples a query may hold at once (default 50,000,000); exceeding it fails with `execution`. */
  readonly maxSamples?: number;
  /** Step of subqueries written without one (`[1h:]`), default 1m. */
  readonly subqueryStepMs?: number;
}

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
}

/** A PromQL engine over any Queryable. Stateless between queries; safe to share. */
export class Engine {
  private readonly lookbackMs: number;
  private readonly timeoutMs: number;
  private readonly maxSamples: number;
  private readonly subqueryStepMs: number;

  constructor(opts: EngineOptions = {}) {
    this.lookbackMs = opts.lookbackDeltaMs ?? 300_000;
    this.timeoutMs = opts.timeoutMs ?? 120_000;
    this.maxSamples = opts.maxSamples ?? 50_000_000;
    this.subqueryStepMs = opts.subqueryStepMs ?? 60_000;
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
    const timer = setTimeout(() => stop.abort(new QueryTimeoutError('query preparation')), Math.max(0, this.timeoutMs));
    try {
      return await this.runGuarded(queryable, ast, text, start, end, step, signal, stop.signal, check, deadline);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
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
    collectFetches(ast, start, end, this.lookbackMs, durations, fetches, undefined);
    const series = new Map<VectorSelector, readonly StorageSeries[]>();
    if (fetches.length > 0) {
      const mint = minOf(fetches.map((f) => f.start));
      const maxt = maxOf(fetches.map((f) => f.end));
      let querier: Querier | undefined;
      try {
        querier = await withSignal(queryable.querier(mint, maxt), stop);
        for (const f of fetches) {
          check('query preparation');
          const hints = { start: f.start, end: f.end, ...(step > 0 ? { step } : {}), ...(f.func ? { func: f.func } : {}), ...(f.range !== undefined ? { range: f.range } : {}) };
          const got = await withSignal(querier.select(f.sel.matchers, hints), stop);
          if (got.some((s) => (s.histogramCount ?? 0) > 0)) {
            throw new ExecutionError('native histograms are not supported yet: the selected series hold native histogram samples');
          }
          series.set(f.sel, got);
        }
      } finally {
        querier?.close();
      }
    }
    check('query preparation');
    const ctx = new EvalContext(this.lookbackMs, start, end, durations, series, this.subqueryStepMs, this.maxSamples, deadline, signal, text, step > 0);
    const ev = new Evaluator(ctx, start, end, step);
    return { value: ev.eval(ast), ev };
  }
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
function collectFetches(e: Expr, start: number, end: number, lookback: number, d: DurationContext, out: Fetch[], func: string | undefined, q: [number, number] = [start, end]): void {
  switch (e.type) {
    case 'VectorSelector': {
      const [s, en] = atMs(e.at, start, end, q[0], q[1]);
      const off = durationMs(e.offset, d);
      const ahead = e.modifier === 'smoothed' ? lookback : 0;
      out.push({ sel: e, start: s - off - lookback + 1, end: en - off + ahead, ...(func ? { func } : {}) });
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
      collectFetches(e.expr, s - off - range, en - off, lookback, d, out, undefined, q);
      return;
    }
    case 'ParenExpr':
    case 'UnaryExpr':
      return collectFetches(e.expr, start, end, lookback, d, out, func, q);
    case 'BinaryExpr':
      collectFetches(e.lhs, start, end, lookback, d, out, undefined, q);
      return collectFetches(e.rhs, start, end, lookback, d, out, undefined, q);
    case 'Call': {
      if (e.func === 'info') {
        const plan = infoPlan(e);
        const { at, offsetMs } = infoTiming(e.args[0] as Expr, d);
        const [s, en] = atMs(at, start, end, q[0], q[1]);
        out.push({ sel: plan.selector, start: s - offsetMs - lookback + 1, end: en - offsetMs, func: 'info' });
        return collectFetches(e.args[0] as Expr, start, end, lookback, d, out, e.func, q);
      }
      for (const a of e.args) collectFetches(a, start, end, lookback, d, out, e.func, q);
      return;
    }
    case 'AggregateExpr':
      if (e.param) collectFetches(e.param, start, end, lookback, d, out, undefined, q);
      return collectFetches(e.expr, start, end, lookback, d, out, e.op, q);
    case 'NumberLiteral':
    case 'StringLiteral':
      return;
    default: {
      const never: never = e;
      return never;
    }
  }
}

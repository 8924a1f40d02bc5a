import type { VectorSelector } from './ast.js';
import type { DurationContext } from './duration-expr.js';
import type { StorageSeries } from '../storage/querier.js';
import { lineCol, QueryCanceledError, QueryTimeoutError, TooManySamplesError, TooManyStepsError, TooMuchWorkError, type PositionRange } from './errors.js';

/**
 * How long evaluation runs before it lets the event loop serve other work (ingest, probes, other
 * queries, the abort of this one when its client goes away). Evaluation is synchronous between
 * these points, so this bounds how long one query can hold the process.
 */
const SLICE_MS = 20;

/** Per-query state shared by the evaluator and its sub-evaluators (subqueries). */
export class EvalContext {
  constructor(
    readonly lookbackMs: number,
    readonly queryStart: number,
    readonly queryEnd: number,
    readonly durations: DurationContext,
    /** Storage series of every selector, fetched before evaluation starts. */
    readonly series: ReadonlyMap<VectorSelector, readonly StorageSeries[]>,
    readonly subqueryStepMs: number,
    private readonly maxSamples: number,
    private readonly maxSubquerySteps: number,
    private readonly deadline: number,
    private readonly signal: AbortSignal | undefined,
    private readonly query: string,
    /** True for range queries (some annotations only apply there). */
    readonly isRange: boolean,
    /** Most samples evaluation may go through in total (see work()). */
    private readonly maxTotalSamples: number = Infinity,
  ) {}

  /** Samples gone through so far: step visits of selectors and functions, and points produced. */
  totalSamples = 0;

  readonly warnings = new Set<string>();
  readonly infos = new Set<string>();

  /** Records a Prometheus-style annotation, e.g. `PromQL warning: … (1:5)`; duplicates collapse. */
  annotate(kind: 'warn' | 'info', msg: string, pos: PositionRange): void {
    const where = this.where(pos);
    if (kind === 'warn') this.warnings.add(`PromQL warning: ${msg} (${where})`);
    else this.infos.add(`PromQL info: ${msg} (${where})`);
  }

  private sliceStart = Date.now();

  /** Throws the typed timeout / cancellation error when the query must stop. */
  check(): void {
    if (this.signal?.aborted) throw new QueryCanceledError();
    if (Date.now() > this.deadline) throw new QueryTimeoutError();
  }

  /**
   * check(), and whether this query has held the event loop for a time slice: then the caller
   * awaits yield(). (Split so that hot loops pay for an await only when one is due.)
   */
  due(): boolean {
    if (this.signal?.aborted) throw new QueryCanceledError();
    const now = Date.now();
    if (now > this.deadline) throw new QueryTimeoutError();
    return now - this.sliceStart >= SLICE_MS;
  }

  /** Lets other work run, then checks whether the query was canceled or timed out meanwhile. */
  async yield(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.sliceStart = Date.now();
    this.check();
  }

  /** due() and, when due, yield(). */
  async pace(): Promise<void> {
    if (this.due()) await this.yield();
  }

  /** Refuses a subquery evaluating its expression at more steps than the limit, before any work. */
  subquerySteps(start: number, end: number, stepMs: number, pos: PositionRange): void {
    const steps = end < start ? 0 : Math.floor((end - start) / stepMs) + 1;
    if (steps > this.maxSubquerySteps) throw new TooManyStepsError(steps, this.maxSubquerySteps, this.where(pos));
  }

  private where(pos: PositionRange): string {
    return this.query === '' ? `1:${pos.start + 1}` : lineCol(this.query, pos.start);
  }

  /**
   * Counts n more samples of work (a selector or range function visiting a series at n steps, an
   * operator producing n points) and stops the query once the total passes metrics.max_total_samples.
   * Callers count before doing the work where they can, so a query over budget is cut early.
   */
  work(n: number): void {
    this.totalSamples += n;
    if (this.totalSamples > this.maxTotalSamples) throw new TooMuchWorkError(this.maxTotalSamples);
  }

  /** Enforces max-samples on a set of samples held in memory at once. */
  samples(n: number): void {
    if (n > this.maxSamples) throw new TooManySamplesError(this.maxSamples);
  }
}

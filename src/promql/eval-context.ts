import type { VectorSelector } from './ast.js';
import type { DurationContext } from './duration-expr.js';
import type { StorageSeries } from '../storage/querier.js';
import { lineCol, QueryCanceledError, QueryTimeoutError, TooManySamplesError, type PositionRange } from './errors.js';

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
    private readonly deadline: number,
    private readonly signal: AbortSignal | undefined,
    private readonly query: string,
    /** True for range queries (some annotations only apply there). */
    readonly isRange: boolean,
  ) {}

  readonly warnings = new Set<string>();
  readonly infos = new Set<string>();

  /** Records a Prometheus-style annotation, e.g. `PromQL warning: … (1:5)`; duplicates collapse. */
  annotate(kind: 'warn' | 'info', msg: string, pos: PositionRange): void {
    const where = this.query === '' ? `1:${pos.start + 1}` : lineCol(this.query, pos.start);
    if (kind === 'warn') this.warnings.add(`PromQL warning: ${msg} (${where})`);
    else this.infos.add(`PromQL info: ${msg} (${where})`);
  }

  /** Throws the typed timeout / cancellation error when the query must stop. */
  check(): void {
    if (this.signal?.aborted) throw new QueryCanceledError();
    if (Date.now() > this.deadline) throw new QueryTimeoutError();
  }

  /** Enforces max-samples on a set of samples held in memory at once. */
  samples(n: number): void {
    if (n > this.maxSamples) throw new TooManySamplesError();
  }
}

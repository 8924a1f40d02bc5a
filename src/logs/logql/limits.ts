import type { Expr, MetricExpr } from './ast.js';

/**
 * What one LogQL query may cost, checked before the work where the query alone tells (Loki's
 * limits_config names in brackets), and while it runs for what only the data tells.
 */
export interface LogQueryLimits {
  /** Most lines a log query may ask for with `limit` (Loki max_entries_limit_per_query: 5000). */
  readonly maxEntries: number;
  /** Most steps per series of a metric range query ((end - start) / step; Loki and Prometheus: 11,000). */
  readonly maxPointsPerSeries: number;
  /** Longest time a query may cover, its [range] included (Loki max_query_length: 721h). */
  readonly maxQueryLengthMs: number;
  /** Most series a metric query may return (Loki max_query_series: 500). */
  readonly maxSeries: number;
  /** Most lines a metric query may read into its range aggregations (samples it holds at once). */
  readonly maxSamples: number;
  /** Wall-clock limit; the query stops at its next check (Loki querier.query_timeout: 1m). */
  readonly timeoutMs: number;
}

export const DEFAULT_LOG_QUERY_LIMITS: LogQueryLimits = {
  maxEntries: 5000,
  maxPointsPerSeries: 11_000,
  maxQueryLengthMs: 721 * 3600_000,
  maxSeries: 500,
  maxSamples: 5_000_000,
  timeoutMs: 60_000,
};

/** A query exceeding a limit: the client's request must change (HTTP 400, as Loki answers). */
export class LogQueryLimitError extends Error {
  override name = 'LogQueryLimitError';
}

/** The query ran past its timeout (Loki answers 504). */
export class LogQueryTimeoutError extends Error {
  override name = 'LogQueryTimeoutError';
  constructor(limitMs: number) {
    super(
      `query timed out after ${limitMs / 1000}s (logs.query.timeout): decrease the time range of the query or add more ` +
        'label matchers (prefer exact match over regex match) to reduce the amount of data processed',
    );
  }
}

/** The caller went away (Loki answers 499). */
export class LogQueryCanceledError extends Error {
  override name = 'LogQueryCanceledError';
  constructor() {
    super('query canceled: the client closed the request');
  }
}

const SLICE_MS = 20;

/**
 * Per-query guard: deadline, cancellation and a time slice after which the query lets the
 * event loop serve other work. Reading lines from cached chunks never waits on I/O, so without
 * this a long scan would hold the process.
 */
export class QueryGuard {
  private readonly deadline: number;
  private sliceStart = Date.now();

  constructor(
    readonly limits: LogQueryLimits,
    private readonly signal?: AbortSignal,
  ) {
    this.deadline = Date.now() + limits.timeoutMs;
  }

  check(): void {
    if (this.signal?.aborted) throw new LogQueryCanceledError();
    if (Date.now() > this.deadline) throw new LogQueryTimeoutError(this.limits.timeoutMs);
  }

  /** check(), then lets other work run if this query has held the event loop for a time slice. */
  async pace(): Promise<void> {
    this.check();
    if (Date.now() - this.sliceStart < SLICE_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.sliceStart = Date.now();
    this.check();
  }
}

function duration(ms: number): string {
  const h = Math.floor(ms / 3600_000);
  const rest = ms - h * 3600_000;
  return rest === 0 ? `${h}h` : `${h}h${Math.round(rest / 1000)}s`;
}

/** The longest [range] in a metric expression (0 for a log query). */
export function maxRange(e: Expr | MetricExpr): number {
  switch (e.kind) {
    case 'log':
    case 'number':
      return 0;
    case 'range':
      return e.rangeMs;
    case 'vector':
      return maxRange(e.expr);
    case 'binary':
      return Math.max(maxRange(e.left), maxRange(e.right));
    default: {
      const never: never = e;
      return never;
    }
  }
}

/** Loki's max_query_length check: the span read, including the longest [range]. */
export function checkQueryLength(limits: LogQueryLimits, start: number, end: number, rangeMs: number): void {
  const length = end - start + rangeMs;
  if (length > limits.maxQueryLengthMs) {
    throw new LogQueryLimitError(
      `the query time range exceeds the limit (query length: ${duration(length)}, limit: ${duration(limits.maxQueryLengthMs)}; logs.query.max_query_length)`,
    );
  }
}

export function checkEntries(limits: LogQueryLimits, limit: number): void {
  if (limit > limits.maxEntries) {
    throw new LogQueryLimitError(`max entries limit per query exceeded, limit > max_entries_limit (${limit} > ${limits.maxEntries}; logs.query.max_entries_limit)`);
  }
}

export function checkPoints(limits: LogQueryLimits, start: number, end: number, step: number): void {
  if ((end - start) / step > limits.maxPointsPerSeries) {
    throw new LogQueryLimitError(
      `exceeded maximum resolution of ${limits.maxPointsPerSeries.toLocaleString('en-US')} points per timeseries. Try increasing the value of the step parameter`,
    );
  }
}

export function checkSeries(limits: LogQueryLimits, n: number): void {
  if (n > limits.maxSeries) {
    throw new LogQueryLimitError(
      `maximum number of series (${limits.maxSeries}) reached for a single query (logs.query.max_series); consider reducing query cardinality ` +
        'by adding more specific stream selectors, reducing the time range, or aggregating results with a by clause',
    );
  }
}

export function tooManySamples(limits: LogQueryLimits): LogQueryLimitError {
  return new LogQueryLimitError(
    `the query would read more than ${limits.maxSamples.toLocaleString('en-US')} lines into its range aggregations (logs.query.max_samples); ` +
      'reduce the time range or add label matchers or line filters',
  );
}

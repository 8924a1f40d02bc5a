/**
 * Errors carry Prometheus's `errorType` so the HTTP layer can map them in one place
 * (bad_data → 400, timeout → 503, canceled → 499/503, execution → 422).
 */
export type PromQLErrorType = 'bad_data' | 'timeout' | 'canceled' | 'execution';

export interface PositionRange {
  readonly start: number;
  readonly end: number;
}

export class PromQLError extends Error {
  override name = 'PromQLError';
  constructor(
    readonly errorType: PromQLErrorType,
    message: string,
  ) {
    super(message);
  }
}

/** A parse or type-check error. `message` is Prometheus's text, e.g. `1:14: parse error: unexpected <by>`. */
export class ParseError extends PromQLError {
  override name = 'ParseError';
  constructor(
    readonly position: PositionRange,
    readonly detail: string,
    readonly query: string,
  ) {
    super('bad_data', `${lineCol(query, position.start)}: parse error: ${detail}`);
  }
}

export class QueryTimeoutError extends PromQLError {
  override name = 'QueryTimeoutError';
  constructor(where = 'query execution') {
    super('timeout', `query timed out in ${where}`);
  }
}

export class QueryCanceledError extends PromQLError {
  override name = 'QueryCanceledError';
  constructor(where = 'query execution') {
    super('canceled', `query was canceled in ${where}`);
  }
}

/** Prometheus's text, then the limit and the key that sets it. */
export class TooManySamplesError extends PromQLError {
  override name = 'TooManySamplesError';
  constructor(limit?: number) {
    const why = limit === undefined ? '' : ` (more than ${limit.toLocaleString('en-US')} samples at once: metrics.max_samples)`;
    super('execution', `query processing would load too many samples into memory in query execution${why}`);
  }
}

/**
 * A query whose evaluation would go through more samples, over all its steps and operators, than
 * the engine allows: a bound on the CPU one query may take (Prometheus bounds it only by its timeout).
 */
export class TooMuchWorkError extends PromQLError {
  override name = 'TooMuchWorkError';
  constructor(limit: number) {
    super(
      'execution',
      `query processing would evaluate too many samples in query execution: more than ${limit.toLocaleString('en-US')} ` +
        'over all steps and operators (metrics.max_total_samples); use a larger step, a shorter range or fewer series, or raise the limit',
    );
  }
}

/**
 * A subquery that would evaluate its expression at more steps than the engine allows (Vigil's
 * limit: Prometheus has none, but its evaluator does not build an array of the steps).
 */
export class TooManyStepsError extends PromQLError {
  override name = 'TooManyStepsError';
  constructor(steps: number, limit: number, where: string) {
    super(
      'bad_data',
      `${where}: subquery would evaluate its expression at ${steps.toLocaleString('en-US')} steps, more than the limit of ` +
        `${limit.toLocaleString('en-US')} (metrics.max_subquery_steps); use a larger subquery step or a shorter range`,
    );
  }
}

/** Any other evaluation failure (duplicate series, bad parameter values, storage errors). */
export class ExecutionError extends PromQLError {
  override name = 'ExecutionError';
  constructor(message: string) {
    super('execution', message);
  }
}

/** `line:col` (1-based line, 1-based column counted in characters) of an offset in `query`. */
export function lineCol(query: string, offset: number): string {
  let line = 1;
  let col = 1;
  for (let i = 0; i < offset && i < query.length; i++) {
    if (query[i] === '\n') {
      line++;
      col = 1;
    } else col++;
  }
  return `${line}:${col}`;
}

import type { ValueType } from '../ast.js';
import type { Point, Vector } from '../value.js';

/** An argument of an instant function, evaluated at one step. */
export type FnArg = Vector | number | string;

/** Lets a function attach a Prometheus annotation, positioned at one of its arguments (or the call). */
export interface FnContext {
  annotate(kind: 'warn' | 'info', msg: string, argIndex?: number): void;
}

/** The samples of one series inside a range-selector or subquery window at one step. */
export interface RangeWindow {
  readonly points: readonly Point[];
  /** Evaluation time of the window (after `@` and offset), ms. The window is (t - rangeMs, t]. */
  readonly t: number;
  readonly rangeMs: number;
  /** The step's evaluation time (after `@`, before offset), ms: predict_linear's intercept time. */
  readonly evalT: number;
  /** Start timestamps parallel to `points` (0 = unknown), when storage has them. */
  readonly startTimestamps?: readonly number[];
  readonly metricName?: string;
  /** Set for `anchored`/`smoothed` selectors; points then extend a lookback delta past the range. */
  readonly modifier?: 'anchored' | 'smoothed';
}

interface Signature {
  readonly name: string;
  readonly argTypes: readonly ValueType[];
  /** 0: exactly argTypes; n > 0: up to n - 1 more than argTypes.length - 1 ... as Prometheus; -1: unbounded. */
  readonly variadic: number;
  readonly returnType: ValueType;
  /** True when the result keeps `__name__` (Prometheus drops it for most functions). */
  readonly keepName?: boolean;
}

/** A function evaluated per step over instant vectors, scalars and strings. */
export interface InstantFunctionDef extends Signature {
  readonly kind: 'instant';
  /** Returns a vector or, for scalar-returning functions, a number (NaN allowed). */
  call(args: readonly FnArg[], t: number, fx: FnContext): Vector | number;
  /**
   * Set for element-wise functions of one vector (plus scalar parameters) that drop `__name__`:
   * the value of one sample. Lets the evaluator map series directly instead of step by step.
   */
  readonly elementwise?: (v: number, params: readonly number[]) => number;
}

/** A function of one range-vector argument (plus scalar parameters), evaluated per series per step. */
export interface RangeFunctionDef extends Signature {
  readonly kind: 'range';
  /** Index of the range-vector argument among args. */
  readonly rangeArg: number;
  /** Returns undefined when the series yields no output at this step. */
  call(w: RangeWindow, params: readonly number[], fx: FnContext): number | undefined;
}

/** Functions that need the evaluator itself (absent, timestamp, scalar, vector, time…). */
export interface SpecialFunctionDef extends Signature {
  readonly kind: 'special';
}

export type FunctionDef = InstantFunctionDef | RangeFunctionDef | SpecialFunctionDef;

import type { Labels } from '../../model/labels.js';
import type { Matcher } from '../../model/matcher.js';

/** One line travelling through a pipeline; stages mutate it. */
export interface PipeState {
  /** Stream labels, structured metadata and extracted labels. */
  labels: Record<string, string>;
  line: string;
  t: number;
  readonly stream: Labels;
}

/** A compiled pipeline stage: false drops the line. */
export interface Stage {
  readonly kind: string;
  run(s: PipeState): boolean;
}

export interface Unwrap {
  label: string;
  conversion: 'float' | 'duration' | 'bytes';
}

export interface LogExpr {
  kind: 'log';
  matchers: Matcher[];
  stages: Stage[];
  /** Line filters that precede any stage able to change the line: pushed down to the store scan. */
  lineFilters: Array<(line: string) => boolean>;
  unwrap?: Unwrap;
}

export interface Grouping {
  without: boolean;
  labels: string[];
}

export type RangeOp =
  | 'count_over_time' | 'rate' | 'bytes_over_time' | 'bytes_rate'
  | 'sum_over_time' | 'avg_over_time' | 'min_over_time' | 'max_over_time'
  | 'stddev_over_time' | 'stdvar_over_time' | 'quantile_over_time'
  | 'first_over_time' | 'last_over_time' | 'absent_over_time';

export type VectorOp = 'sum' | 'avg' | 'min' | 'max' | 'count' | 'stddev' | 'stdvar' | 'topk' | 'bottomk';

export type BinaryOp = '+' | '-' | '*' | '/';

export type MetricExpr =
  | { kind: 'range'; op: RangeOp; param?: number; log: LogExpr; rangeMs: number; grouping?: Grouping }
  | { kind: 'vector'; op: VectorOp; param?: number; grouping?: Grouping; expr: MetricExpr }
  | { kind: 'number'; value: number }
  | { kind: 'binary'; op: BinaryOp; left: MetricExpr; right: MetricExpr };

export type Expr = LogExpr | MetricExpr;

import type { ValueType } from './ast.js';

export interface AggregatorInfo {
  /** Type of the leading parameter (`topk(5, …)`), if the aggregator takes one. */
  readonly param?: ValueType;
}

/** Every aggregation operator the parser accepts, keyed by lower-case name. */
export const AGGREGATORS: Readonly<Record<string, AggregatorInfo>> = {
  sum: {},
  avg: {},
  min: {},
  max: {},
  count: {},
  group: {},
  stddev: {},
  stdvar: {},
  topk: { param: 'scalar' },
  bottomk: { param: 'scalar' },
  quantile: { param: 'scalar' },
  count_values: { param: 'string' },
  limitk: { param: 'scalar' },
  limit_ratio: { param: 'scalar' },
};

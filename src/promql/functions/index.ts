import type { FunctionDef, SpecialFunctionDef } from './types.js';
import { RATE_FUNCTIONS } from './rate.js';
import { OVER_TIME_FUNCTIONS } from './over-time.js';
import { MATH_FUNCTIONS } from './math.js';
import { TIME_FUNCTIONS } from './time.js';
import { LABEL_FUNCTIONS } from './labels.js';
import { SORT_FUNCTIONS } from './sort.js';
import { HISTOGRAM_FUNCTIONS } from './histogram.js';

/** Functions the evaluator implements itself because they need the AST or the query's steps. */
const SPECIAL: SpecialFunctionDef[] = [
  { kind: 'special', name: 'absent', argTypes: ['vector'], variadic: 0, returnType: 'vector' },
  { kind: 'special', name: 'absent_over_time', argTypes: ['matrix'], variadic: 0, returnType: 'vector' },
  { kind: 'special', name: 'timestamp', argTypes: ['vector'], variadic: 0, returnType: 'vector' },
  { kind: 'special', name: 'start_timestamp', argTypes: ['vector'], variadic: 0, returnType: 'vector' },
  { kind: 'special', name: 'scalar', argTypes: ['vector'], variadic: 0, returnType: 'scalar' },
  { kind: 'special', name: 'vector', argTypes: ['scalar'], variadic: 0, returnType: 'vector' },
  { kind: 'special', name: 'info', argTypes: ['vector', 'vector'], variadic: 1, returnType: 'vector', keepName: true },
  // Query parameters as scalars (seconds): start(), end(), range() = end - start, step() (0 for instant queries).
  { kind: 'special', name: 'start', argTypes: [], variadic: 0, returnType: 'scalar' },
  { kind: 'special', name: 'end', argTypes: [], variadic: 0, returnType: 'scalar' },
  { kind: 'special', name: 'range', argTypes: [], variadic: 0, returnType: 'scalar' },
  { kind: 'special', name: 'step', argTypes: [], variadic: 0, returnType: 'scalar' },
];

/** Native-histogram functions: parsed so queries type-check, refused at evaluation. */
const NATIVE_HISTOGRAM: SpecialFunctionDef[] = [
  'histogram_count', 'histogram_sum', 'histogram_avg', 'histogram_stddev', 'histogram_stdvar',
].map((name): SpecialFunctionDef => ({ kind: 'special', name, argTypes: ['vector'], variadic: 0, returnType: 'vector' }))
  .concat([{ kind: 'special', name: 'histogram_fraction', argTypes: ['scalar', 'scalar', 'vector'], variadic: 0, returnType: 'vector' }]);

/**
 * Every PromQL function, keyed by name. Adding a function is one entry in one of these
 * lists (plus its test); the parser's type checks and the evaluator both read this table.
 */
export const FUNCTIONS: Readonly<Record<string, FunctionDef>> = Object.fromEntries(
  [...RATE_FUNCTIONS, ...OVER_TIME_FUNCTIONS, ...MATH_FUNCTIONS, ...TIME_FUNCTIONS, ...LABEL_FUNCTIONS, ...SORT_FUNCTIONS, ...HISTOGRAM_FUNCTIONS, ...SPECIAL, ...NATIVE_HISTOGRAM].map((f) => [f.name, f]),
);

export const NATIVE_HISTOGRAM_FUNCTIONS: ReadonlySet<string> = new Set(NATIVE_HISTOGRAM.map((f) => f.name));

import type { Matcher } from '../model/matcher.js';
import type { PositionRange } from './errors.js';

export type ValueType = 'scalar' | 'vector' | 'matrix' | 'string';

/**
 * A duration expression (offsets, ranges, subquery steps). Constant durations are folded
 * at parse time into `{kind:'num'}`; `step()`/`range()` need the query's parameters.
 * Values are in seconds, like Prometheus's unit-less numbers in duration position.
 */
export type DurationExpr =
  | { kind: 'num'; seconds: number }
  | { kind: 'step' }
  | { kind: 'range' }
  | { kind: 'neg'; expr: DurationExpr }
  | { kind: 'bin'; op: string; lhs: DurationExpr; rhs: DurationExpr }
  | { kind: 'minmax'; fn: 'min_of' | 'max_of'; args: DurationExpr[] };

/** `@ <time>` as written: a fixed time (ms) or the query's start()/end(). */
export type AtModifier = { kind: 'time'; ms: number } | { kind: 'start' } | { kind: 'end' };

interface Base {
  readonly pos: PositionRange;
}

export interface NumberLiteral extends Base {
  readonly type: 'NumberLiteral';
  readonly value: number;
  /** Set when the literal was written as a duration (`5m`) and is used as seconds. */
  readonly durationText?: string;
}

export interface StringLiteral extends Base {
  readonly type: 'StringLiteral';
  readonly value: string;
}

export interface VectorSelector extends Base {
  readonly type: 'VectorSelector';
  readonly name: string | undefined;
  readonly matchers: readonly Matcher[];
  offset: DurationExpr | undefined;
  at: AtModifier | undefined;
  /** Extended range selectors (experimental): `anchored` or `smoothed`. */
  modifier?: RangeModifier;
}

export type RangeModifier = 'anchored' | 'smoothed' | undefined;

export interface MatrixSelector extends Base {
  readonly type: 'MatrixSelector';
  readonly vector: VectorSelector;
  readonly range: DurationExpr;
}

export interface SubqueryExpr extends Base {
  readonly type: 'SubqueryExpr';
  readonly expr: Expr;
  readonly range: DurationExpr;
  /** Undefined means the engine's default subquery step (the query step for range queries in Prometheus ≥2.x: default 1m here). */
  readonly step: DurationExpr | undefined;
  offset: DurationExpr | undefined;
  at: AtModifier | undefined;
}

export interface ParenExpr extends Base {
  readonly type: 'ParenExpr';
  readonly expr: Expr;
}

export interface UnaryExpr extends Base {
  readonly type: 'UnaryExpr';
  readonly op: '-' | '+';
  readonly expr: Expr;
}

export type BinaryOp =
  | '+' | '-' | '*' | '/' | '%' | '^' | 'atan2'
  | '==' | '!=' | '>' | '<' | '>=' | '<='
  | 'and' | 'or' | 'unless';

export type Cardinality = 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';

export interface VectorMatching {
  readonly card: Cardinality;
  /** `on(...)` when true, `ignoring(...)` otherwise. */
  readonly on: boolean;
  readonly labels: readonly string[];
  /** Extra labels of group_left/group_right. */
  readonly include: readonly string[];
  readonly fillLeft?: number;
  readonly fillRight?: number;
}

export interface BinaryExpr extends Base {
  readonly type: 'BinaryExpr';
  readonly op: BinaryOp;
  readonly lhs: Expr;
  readonly rhs: Expr;
  readonly bool: boolean;
  /** Present when both sides are instant vectors. */
  readonly matching: VectorMatching | undefined;
  /** Position of the operator token (Prometheus reports some type errors there). */
  readonly opPos?: PositionRange;
}

export interface Call extends Base {
  readonly type: 'Call';
  readonly func: string;
  readonly args: readonly Expr[];
}

export interface AggregateExpr extends Base {
  readonly type: 'AggregateExpr';
  readonly op: string;
  readonly expr: Expr;
  readonly param: Expr | undefined;
  readonly grouping: readonly string[];
  readonly without: boolean;
}

export type Expr =
  | NumberLiteral
  | StringLiteral
  | VectorSelector
  | MatrixSelector
  | SubqueryExpr
  | ParenExpr
  | UnaryExpr
  | BinaryExpr
  | Call
  | AggregateExpr;

import type { DurationExpr, Expr, MatrixSelector, VectorSelector } from './ast.js';
import { parseExpr } from './parser.js';
import { formatExpr } from './printer.js';

const SENTINEL: DurationExpr = { kind: 'num', seconds: 7_654_321.123 };

function rewrite(e: Expr): Expr {
  switch (e.type) {
    case 'VectorSelector': {
      const m: MatrixSelector = { type: 'MatrixSelector', pos: e.pos, vector: e, range: SENTINEL };
      return { type: 'Call', pos: e.pos, func: 'rate', args: [m] };
    }
    case 'MatrixSelector':
    case 'NumberLiteral':
    case 'StringLiteral':
      return e;
    case 'SubqueryExpr':
      return e;
    case 'ParenExpr':
      return { ...e, expr: rewrite(e.expr) };
    case 'UnaryExpr':
      return { ...e, expr: rewrite(e.expr) };
    case 'BinaryExpr':
      return { ...e, lhs: rewrite(e.lhs), rhs: rewrite(e.rhs) };
    case 'Call':
      return { ...e, args: e.args.map(rewrite) };
    case 'AggregateExpr':
      return { ...e, expr: rewrite(e.expr), ...(e.param ? { param: e.param } : {}) };
    default: {
      const never: never = e;
      return never;
    }
  }
}

/**
 * A query over counters turned into one over their per-second rates: every instant vector
 * selector `s` becomes `rate(s[<window>])` (`sum(http_requests_total{code="200"})` →
 * `sum(rate(http_requests_total{code="200"}[{{.window}}]))`). Range selectors and subqueries
 * are left alone. Throws the parser's error on bad PromQL.
 */
export function rateOfCounters(query: string, window = '{{.window}}'): string {
  const text = formatExpr(rewrite(parseExpr(query)));
  const probe: VectorSelector = { type: 'VectorSelector', pos: { start: 0, end: 0 }, name: 'x', matchers: [], offset: undefined, at: undefined };
  const printed = formatExpr({ type: 'MatrixSelector', pos: probe.pos, vector: probe, range: SENTINEL });
  const sentinel = printed.slice(printed.indexOf('['));
  return text.split(sentinel).join(`[${window}]`);
}

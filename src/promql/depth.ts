import type { DurationExpr, Expr } from './ast.js';
import type { PositionRange } from './errors.js';

/**
 * How deep a PromQL expression may nest: parentheses, function and aggregation arguments,
 * unary and binary operators (a chain `a + b + c …` nests one level per operator), and
 * duration arithmetic. The parser, the type checker and the evaluator recurse once per
 * level; past a few thousand levels that overflows the stack. Prometheus has no such limit
 * (Go stacks grow); no hand-written query comes near it.
 */
export const MAX_EXPR_DEPTH = 512;

export const depthMessage = `expression nests deeper than ${MAX_EXPR_DEPTH} levels`;

type Node = { e: Expr; depth: number } | { d: DurationExpr; depth: number; at: PositionRange };

/** The position of the first node nested deeper than MAX_EXPR_DEPTH, or undefined. Iterative: safe on any depth. */
export function tooDeep(root: Expr): PositionRange | undefined {
  const stack: Node[] = [{ e: root, depth: 1 }];
  const durations = (at: PositionRange, depth: number, ...ds: Array<DurationExpr | undefined>): void => {
    for (const d of ds) if (d) stack.push({ d, depth: depth + 1, at });
  };
  for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
    if ('d' in n) {
      if (n.depth > MAX_EXPR_DEPTH) return n.at;
      const d = n.d;
      if (d.kind === 'neg') stack.push({ d: d.expr, depth: n.depth + 1, at: n.at });
      else if (d.kind === 'bin') stack.push({ d: d.lhs, depth: n.depth + 1, at: n.at }, { d: d.rhs, depth: n.depth + 1, at: n.at });
      else if (d.kind === 'minmax') for (const a of d.args) stack.push({ d: a, depth: n.depth + 1, at: n.at });
      continue;
    }
    const { e, depth } = n;
    if (depth > MAX_EXPR_DEPTH) return e.pos;
    const child = (c: Expr | undefined): void => {
      if (c) stack.push({ e: c, depth: depth + 1 });
    };
    switch (e.type) {
      case 'NumberLiteral':
      case 'StringLiteral':
        break;
      case 'VectorSelector':
        durations(e.pos, depth, e.offset);
        break;
      case 'MatrixSelector':
        child(e.vector);
        durations(e.pos, depth, e.range);
        break;
      case 'SubqueryExpr':
        child(e.expr);
        durations(e.pos, depth, e.range, e.step, e.offset);
        break;
      case 'ParenExpr':
      case 'UnaryExpr':
        child(e.expr);
        break;
      case 'BinaryExpr':
        child(e.lhs);
        child(e.rhs);
        break;
      case 'Call':
        for (const a of e.args) child(a);
        break;
      case 'AggregateExpr':
        child(e.expr);
        child(e.param);
        break;
      default: {
        const never: never = e;
        return never;
      }
    }
  }
  return undefined;
}

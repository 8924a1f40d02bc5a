import type { Expr, ValueType } from './ast.js';
import { ParseError } from './errors.js';
import { AGGREGATORS } from './aggregations-table.js';
import { FUNCTIONS } from './functions/index.js';

const COMPARISON = new Set(['==', '!=', '<=', '<', '>=', '>']);
const SET_OPS = new Set(['and', 'or', 'unless']);

export function documentedType(t: ValueType): string {
  switch (t) {
    case 'vector': return 'instant vector';
    case 'matrix': return 'range vector';
    default: return t;
  }
}

export function typeOf(e: Expr): ValueType {
  switch (e.type) {
    case 'NumberLiteral': return 'scalar';
    case 'StringLiteral': return 'string';
    case 'VectorSelector': return 'vector';
    case 'MatrixSelector': return 'matrix';
    case 'SubqueryExpr': return 'matrix';
    case 'ParenExpr': return typeOf(e.expr);
    case 'UnaryExpr': return typeOf(e.expr);
    case 'BinaryExpr': return typeOf(e.lhs) === 'scalar' && typeOf(e.rhs) === 'scalar' ? 'scalar' : 'vector';
    case 'Call': return FUNCTIONS[e.func]?.returnType ?? 'vector';
    case 'AggregateExpr': return 'vector';
    default: {
      const never: never = e;
      return never;
    }
  }
}

/** Prometheus's checkAST: type rules that the grammar alone does not enforce. */
export function checkAST(e: Expr, input: string): void {
  const fail = (node: Expr, msg: string): never => {
    throw new ParseError(node.pos, msg, input);
  };
  switch (e.type) {
    case 'NumberLiteral':
    case 'StringLiteral':
    case 'VectorSelector':
      return;
    case 'MatrixSelector':
      return;
    case 'SubqueryExpr': {
      checkAST(e.expr, input);
      const t = typeOf(e.expr);
      if (t !== 'vector') fail(e, `subquery is only allowed on instant vector, got ${t} instead`);
      return;
    }
    case 'ParenExpr':
      return checkAST(e.expr, input);
    case 'UnaryExpr': {
      checkAST(e.expr, input);
      const t = typeOf(e.expr);
      if (t !== 'scalar' && t !== 'vector') fail(e, `unary expression only allowed on expressions of type scalar or instant vector, got "${documentedType(t)}"`);
      return;
    }
    case 'BinaryExpr': {
      checkAST(e.lhs, input);
      checkAST(e.rhs, input);
      const lt = typeOf(e.lhs);
      const rt = typeOf(e.rhs);
      if ((lt !== 'scalar' && lt !== 'vector') || (rt !== 'scalar' && rt !== 'vector')) {
        fail(e, 'binary expression must contain only scalar and instant vector types');
      }
      if (COMPARISON.has(e.op) && !e.bool && lt === 'scalar' && rt === 'scalar') {
        throw new ParseError(e.opPos ?? e.pos, 'comparisons between scalars must use BOOL modifier', input);
      }
      const m = e.matching;
      const explicit = m !== undefined && (m.on || m.labels.length > 0 || m.card === 'many-to-one' || m.card === 'one-to-many');
      if ((lt === 'scalar' || rt === 'scalar') && explicit) fail(e, 'vector matching only allowed between instant vectors');
      if (SET_OPS.has(e.op) && (lt === 'scalar' || rt === 'scalar')) fail(e, `set operator "${e.op}" not allowed in binary scalar expression`);
      return;
    }
    case 'Call': {
      const fn = FUNCTIONS[e.func];
      if (!fn) return fail(e, `unknown function with name ${JSON.stringify(e.func)}`);
      const nargs = fn.argTypes.length;
      if (fn.variadic === 0) {
        if (nargs !== e.args.length) fail(e, `expected ${nargs} argument(s) in call to ${JSON.stringify(fn.name)}, got ${e.args.length}`);
      } else {
        const na = nargs - 1;
        if (na > e.args.length) fail(e, `expected at least ${na} argument(s) in call to ${JSON.stringify(fn.name)}, got ${e.args.length}`);
        else if (fn.variadic > 0 && na + fn.variadic < e.args.length) {
          fail(e, `expected at most ${na + fn.variadic} argument(s) in call to ${JSON.stringify(fn.name)}, got ${e.args.length}`);
        }
      }
      e.args.forEach((arg, i) => {
        checkAST(arg, input);
        const want = fn.argTypes[Math.min(i, nargs - 1)] as ValueType;
        const got = typeOf(arg);
        if (want !== got) fail(arg, `expected type ${documentedType(want)} in call to function ${JSON.stringify(fn.name)}, got ${documentedType(got)}`);
      });
      return;
    }
    case 'AggregateExpr': {
      checkAST(e.expr, input);
      const info = AGGREGATORS[e.op];
      const t = typeOf(e.expr);
      if (t !== 'vector') fail(e, `expected type instant vector in aggregation expression, got ${documentedType(t)}`);
      if (e.param && info?.param) {
        checkAST(e.param, input);
        const pt = typeOf(e.param);
        if (pt !== info.param) fail(e.param, `expected type ${documentedType(info.param)} in aggregation parameter, got ${documentedType(pt)}`);
      }
      return;
    }
    default: {
      const never: never = e;
      return never;
    }
  }
}

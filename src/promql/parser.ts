import type { AggregateExpr, AtModifier, BinaryExpr, BinaryOp, Cardinality, DurationExpr, Expr, VectorMatching } from './ast.js';
import type { Token } from './lexer.js';
import { checkAST } from './checks.js';
import { depthMessage, tooDeep } from './depth.js';
import { ParseError } from './errors.js';
import { AGGREGATORS } from './aggregations-table.js';
import { FUNCTIONS } from './functions/index.js';
import { foldDuration, parseDurationLiteral } from './duration-expr.js';
import { SelectorParser } from './parse-selector.js';
import { formatGoFloat } from './format.js';
import { BINARY_PREC, COMPARISON, KEYWORDS, numberValue, SET_OPS, UNARY_PREC } from './token-stream.js';

/** Parses a PromQL expression into a type-checked AST; throws ParseError with Prometheus's wording. */
export function parseExpr(input: string): Expr {
  const p = new Parser(input);
  const expr = p.parseTop();
  const deep = tooDeep(expr);
  if (deep) throw new ParseError(deep, depthMessage, input);
  checkAST(expr, input);
  return expr;
}

export function isComparison(op: string): boolean {
  return COMPARISON.has(op);
}
export function isSetOp(op: string): boolean {
  return SET_OPS.has(op);
}

class Parser extends SelectorParser {

  parseTop(): Expr {
    if (this.peek().kind === 'eof') this.failAt({ start: 0, end: 0 }, 'no expression found in input');
    const e = this.parseBinary(0);
    const t = this.peek();
    if (t.kind === 'op' && t.text === ')') this.fail(t, "unexpected right parenthesis ')'");
    if (t.kind !== 'eof') this.unexpected(t);
    return e;
  }

  private binaryOpAt(): string | undefined {
    const t = this.peek();
    if (t.kind === 'op' && BINARY_PREC[t.text] !== undefined) return t.text;
    if (t.kind === 'ident') {
      const low = t.text.toLowerCase();
      if (low === 'and' || low === 'or' || low === 'unless' || low === 'atan2') return low;
    }
    return undefined;
  }

  parseBinary(minPrec: number): Expr {
    return this.nested(() => this.parseBinaryLevel(minPrec));
  }

  private parseBinaryLevel(minPrec: number): Expr {
    let lhs = this.parseUnary();
    for (let chain = 1; ; chain++) {
      const op = this.binaryOpAt();
      if (op === undefined) break;
      const prec = BINARY_PREC[op] as number;
      if (prec < minPrec) break;
      const opTok = this.next();
      const mods = this.parseBinModifiers(op, opTok, lhs);
      const rhs = this.nested(() => this.parseBinaryLevel(op === '^' ? prec : prec + 1), chain - 1);
      const bin: BinaryExpr = {
        type: 'BinaryExpr',
        op: op as BinaryOp,
        lhs,
        rhs,
        bool: mods.bool,
        matching: mods.matching,
        pos: { start: lhs.pos.start, end: rhs.pos.end },
        opPos: { start: opTok.start, end: opTok.end },
      };
      lhs = bin;
    }
    return lhs;
  }

  private parseBinModifiers(op: string, opTok: Token, lhs: Expr): { bool: boolean; matching: VectorMatching | undefined } {
    let bool = false;
    if (this.isKw('bool')) {
      this.next();
      if (!COMPARISON.has(op)) this.fail(opTok, 'bool modifier can only be used on comparison operators');
      bool = true;
    }
    let on = false;
    let labels: string[] = [];
    let explicit = false;
    if (this.isKw('on') || this.isKw('ignoring')) {
      on = this.next().text.toLowerCase() === 'on';
      labels = this.parseLabelList();
      explicit = true;
    }
    let card: Cardinality = SET_OPS.has(op) ? 'many-to-many' : 'one-to-one';
    let include: string[] = [];
    if (this.isKw('group_left') || this.isKw('group_right')) {
      const t = this.next();
      if (!explicit) this.unexpected(t);
      if (SET_OPS.has(op)) this.failAt({ start: lhs.pos.start, end: t.end }, `no grouping allowed for "${op}" operation`);
      card = t.text.toLowerCase() === 'group_left' ? 'many-to-one' : 'one-to-many';
      if (this.isOp('(')) include = this.parseLabelList();
    }
    let fillLeft: number | undefined;
    let fillRight: number | undefined;
    while ((this.isKw('fill') || this.isKw('fill_left') || this.isKw('fill_right')) && this.isOp('(', 1)) {
      const kw = this.next().text.toLowerCase();
      this.expectOp('(');
      const v = this.parseSignedNumber();
      this.expectOp(')');
      if (kw !== 'fill_right') fillLeft = v;
      if (kw !== 'fill_left') fillRight = v;
    }
    for (const l of include) {
      if (on && labels.includes(l)) this.fail(opTok, `label "${l}" must not occur in ON and GROUP clause at once`);
    }
    const matching: VectorMatching = { card, on, labels, include, fillLeft, fillRight };
    return { bool, matching };
  }



  private parseUnary(): Expr {
    const t = this.peek();
    if (t.kind === 'op' && (t.text === '-' || t.text === '+')) {
      this.next();
      const operand = this.parseBinary(UNARY_PREC);
      if (operand.type === 'NumberLiteral') {
        const durationText = operand.durationText === undefined ? undefined : `${t.text === '-' ? '-' : ''}${operand.durationText}`;
        return { ...operand, value: t.text === '-' ? -operand.value : operand.value, durationText, pos: { start: t.start, end: operand.pos.end } };
      }
      return { type: 'UnaryExpr', op: t.text, expr: operand, pos: { start: t.start, end: operand.pos.end } };
    }
    return this.parsePostfix(this.parsePrimary());
  }

  private parsePostfix(e: Expr): Expr {
    for (;;) {
      if (this.isOp('[')) {
        e = this.parseRangeOrSubquery(e);
      } else if (this.isKw('offset')) {
        const t = this.next();
        this.durationWhere = ' in offset';
        const d = this.parseOffsetDuration();
        e = this.applyOffset(e, d, t);
      } else if (this.isOp('@')) {
        const t = this.next();
        const at = this.parseAt(e);
        e = this.applyAt(e, at, t);
      } else if ((this.isKw('anchored') || this.isKw('smoothed')) && (e.type === 'MatrixSelector' || e.type === 'VectorSelector')) {
        const t = this.next();
        const vs = e.type === 'MatrixSelector' ? e.vector : e;
        const mod = t.text.toLowerCase() as 'anchored' | 'smoothed';
        if (vs.modifier !== undefined) this.unexpected(t);
        if (e.type === 'VectorSelector' && mod === 'anchored') this.fail(t, 'anchored modifier can only be used with range vector selectors');
        vs.modifier = mod;
        e = { ...e, pos: { start: e.pos.start, end: t.end } } as Expr;
      } else return e;
    }
  }

  private applyOffset(e: Expr, d: DurationExpr, t: Token): Expr {
    const target = e.type === 'MatrixSelector' ? e.vector : e;
    if (target.type !== 'VectorSelector' && target.type !== 'SubqueryExpr') {
      this.failAt({ start: e.pos.start, end: t.end }, 'offset modifier must be preceded by an instant vector selector or range vector selector or a subquery');
    }
    if (target.offset !== undefined) this.failAt({ start: e.pos.start, end: t.end }, 'offset may not be set multiple times');
    target.offset = d;
    return { ...e, pos: { start: e.pos.start, end: this.peek(-1).end } } as Expr;
  }

  private applyAt(e: Expr, at: AtModifier, t: Token): Expr {
    const target = e.type === 'MatrixSelector' ? e.vector : e;
    if (target.type !== 'VectorSelector' && target.type !== 'SubqueryExpr') {
      this.failAt({ start: e.pos.start, end: t.end }, '@ modifier must be preceded by an instant vector selector or range vector selector or a subquery');
    }
    if (target.at !== undefined) this.failAt({ start: e.pos.start, end: t.end }, '@ <timestamp> may not be set multiple times');
    target.at = at;
    return { ...e, pos: { start: e.pos.start, end: this.peek(-1).end } } as Expr;
  }

  private parseAt(e: Expr): AtModifier {
    if (this.peek().kind === 'eof') this.fail(this.peek(), 'unexpected end of input in @, expected timestamp');
    if ((this.isKw('start') || this.isKw('end')) && this.isOp('(', 1)) {
      const kw = this.next().text.toLowerCase();
      this.next();
      this.expectOp(')');
      return kw === 'start' ? { kind: 'start' } : { kind: 'end' };
    }
    const v = this.parseSignedNumber();
    if (!Number.isFinite(v)) this.failAt({ start: e.pos.start, end: this.peek(-1).end }, `timestamp out of bounds for @ modifier: ${formatGoFloat(v)}`);
    return { kind: 'time', ms: Math.round(v * 1000) };
  }





  private parseRangeOrSubquery(e: Expr): Expr {
    const open = this.next();
    if (e.type === 'VectorSelector' && e.offset !== undefined) this.fail(open, 'no offset modifiers allowed before range');
    if (e.type === 'VectorSelector' && e.at !== undefined) this.fail(open, 'no @ modifiers allowed before range');
    this.durationWhere = ' in subquery or range selector';
    const first = this.peek();
    const range = this.checkPositive(foldDuration(this.parseDurationArith(0)), first);
    if (this.isOp(':')) {
      this.next();
      let step: DurationExpr | undefined;
      if (!this.isOp(']')) step = this.checkPositive(foldDuration(this.parseDurationArith(0)), open);
      const close = this.expectOp(']');
      if (e.type === 'MatrixSelector') this.fail(open, 'subquery is only allowed on instant vector, got matrix instead');
      return { type: 'SubqueryExpr', expr: e, range, step, offset: undefined, at: undefined, pos: { start: e.pos.start, end: close.end } };
    }
    const close = this.expectOp(']', ' in matrix selector, expected ":" or "]"');
    if (e.type !== 'VectorSelector' || e.offset !== undefined || e.at !== undefined) {
      this.fail(open, 'ranges only allowed for vector selectors');
    }
    return { type: 'MatrixSelector', vector: e, range, pos: { start: e.pos.start, end: close.end } };
  }

  private checkPositive(d: DurationExpr, at: Token): DurationExpr {
    if (d.kind === 'num' && !(d.seconds > 0)) this.fail(at, 'duration must be greater than 0');
    return d;
  }

  private parsePrimary(): Expr {
    const t = this.peek();
    switch (t.kind) {
      case 'number': {
        this.next();
        return { type: 'NumberLiteral', value: numberValue(t) as number, pos: { start: t.start, end: t.end } };
      }
      case 'duration': {
        this.next();
        return { type: 'NumberLiteral', value: parseDurationLiteral(t.text) / 1000, durationText: t.text, pos: { start: t.start, end: t.end } };
      }
      case 'string': {
        this.next();
        return { type: 'StringLiteral', value: t.value, pos: { start: t.start, end: t.end } };
      }
      case 'op': {
        if (t.text === '(') {
          this.next();
          const inner = this.parseBinary(0);
          const close = this.expectOp(')');
          return { type: 'ParenExpr', expr: inner, pos: { start: t.start, end: close.end } };
        }
        if (t.text === '{') return this.parseSelector(undefined, t);
        return this.unexpected(t);
      }
      case 'ident':
        return this.parseIdentStart(t);
      case 'eof':
        return this.unexpected(t);
    }
  }

  private parseIdentStart(t: Token): Expr {
    const low = t.text.toLowerCase();
    const agg = AGGREGATORS[low];
    if (agg && (this.isOp('(', 1) || this.isKw('by', 1) || this.isKw('without', 1))) return this.parseAggregate(t, low);
    if (KEYWORDS.has(low) && low !== 'start' && low !== 'end') this.unexpected(t);
    if (this.isOp('(', 1)) {
      const fn = FUNCTIONS[t.text];
      if (!fn) this.fail(t, `unknown function with name ${JSON.stringify(t.text)}`);
      this.next();
      this.next();
      // info()'s second argument selects data labels and may consist of matchers that all match "".
      this.relaxSelectors = t.text === 'info' ? 1 : 0;
      const args = this.parseArgs();
      this.relaxSelectors = 0;
      const close = this.peek(-1);
      return { type: 'Call', func: t.text, args, pos: { start: t.start, end: close.end } };
    }
    if (low === 'inf' || low === 'nan') {
      this.next();
      return { type: 'NumberLiteral', value: low === 'inf' ? Infinity : NaN, pos: { start: t.start, end: t.end } };
    }
    if (KEYWORDS.has(low) && low !== 'start' && low !== 'end') this.unexpected(t);
    this.next();
    if (this.isOp('{')) return this.parseSelector(t.text, t);
    return this.makeSelector(t.text, [], { start: t.start, end: t.end });
  }

  /** Parses `( a, b, … )` after the opening paren has been consumed. */
  private parseArgs(): Expr[] {
    const args: Expr[] = [];
    if (this.isOp(')')) {
      this.next();
      return args;
    }
    const relax = this.relaxSelectors;
    this.relaxSelectors = 0;
    for (;;) {
      this.relaxSelectors = relax && args.length === 1 ? 1 : 0;
      args.push(this.parseBinary(0));
      this.relaxSelectors = 0;
      if (this.isOp(',')) {
        const comma = this.next();
        if (this.isOp(')')) this.fail(comma, 'trailing commas not allowed in function call args');
        continue;
      }
      if (this.isOp(')')) {
        this.next();
        return args;
      }
      this.unexpected(this.peek(), ', expected "," or ")"');
    }
  }

  private parseAggregate(t: Token, op: string): AggregateExpr {
    this.next();
    let grouping: string[] = [];
    let without = false;
    let haveGrouping = false;
    if (this.isKw('by') || this.isKw('without')) {
      without = this.next().text.toLowerCase() === 'without';
      grouping = this.parseLabelList();
      haveGrouping = true;
    }
    if (!this.isOp('(')) this.unexpected(this.peek(), ' in aggregation, expected "("');
    this.next();
    const args = this.parseArgs();
    let end = this.peek(-1).end;
    if (this.isKw('by') || this.isKw('without')) {
      const kw = this.next();
      if (haveGrouping) this.unexpected(kw);
      without = kw.text.toLowerCase() === 'without';
      grouping = this.parseLabelList();
      end = this.peek(-1).end;
    }
    const needsParam = AGGREGATORS[op]?.param !== undefined;
    const whole = { start: t.start, end };
    if (args.length === 0) this.failAt(whole, 'no arguments for aggregate expression provided');
    if (needsParam && args.length !== 2) this.failAt(whole, `wrong number of arguments for aggregate expression provided, expected 2, got ${args.length}`);
    if (!needsParam && args.length !== 1) this.failAt(whole, `wrong number of arguments for aggregate expression provided, expected 1, got ${args.length}`);
    const param = needsParam ? args[0] : undefined;
    const expr = (needsParam ? args[1] : args[0]) as Expr;
    return { type: 'AggregateExpr', op, expr, param, grouping, without, pos: { start: t.start, end } };
  }


}


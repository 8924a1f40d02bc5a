import type { DurationExpr } from './ast.js';
import { foldDuration, parseDurationLiteral } from './duration-expr.js';
import { BINARY_PREC, numberValue, TokenStream, UNARY_PREC } from './token-stream.js';

/** Duration expressions in offsets and `[range:step]` (experimental duration arithmetic, step(), range(), min_of/max_of). */
export class DurationParser extends TokenStream {
  /** Where a duration is being read, for error messages (` in offset`, ` in subquery or range selector`). */
  protected durationWhere = ' in offset';

  /** After `offset`: a signed literal, `(…)`, or a duration function; binary operators bind to the outer expression. */
  protected parseOffsetDuration(): DurationExpr {
    return foldDuration(this.parseDurationUnary(true));
  }

  /** Inside `[ … ]`: full duration arithmetic. */
  protected parseDurationArith(minPrec: number): DurationExpr {
    return this.nested(() => this.parseDurationLevel(minPrec));
  }

  private parseDurationLevel(minPrec: number): DurationExpr {
    let lhs = this.parseDurationUnary(false);
    for (let chain = 1; ; chain++) {
      const t = this.peek();
      if (t.kind !== 'op' || !['+', '-', '*', '/', '%', '^'].includes(t.text)) return lhs;
      const prec = BINARY_PREC[t.text] as number;
      if (prec < minPrec) return lhs;
      this.next();
      const rhs = this.nested(() => this.parseDurationLevel(t.text === '^' ? prec : prec + 1), chain - 1);
      const folded = foldDuration(rhs);
      if (folded.kind === 'num' && folded.seconds === 0 && (t.text === '/' || t.text === '%')) {
        this.fail(t, t.text === '/' ? 'division by zero' : 'modulo by zero');
      }
      lhs = { kind: 'bin', op: t.text, lhs, rhs };
    }
  }

  protected parseDurationUnary(offsetPosition: boolean): DurationExpr {
    if (this.isOp('-') || this.isOp('+')) {
      const neg = this.next().text === '-';
      const inner = offsetPosition ? this.parseDurationAtom() : this.parseDurationArith(UNARY_PREC);
      return neg ? { kind: 'neg', expr: inner } : inner;
    }
    return this.parseDurationAtom();
  }

  protected parseDurationAtom(): DurationExpr {
    const t = this.peek();
    if (t.kind === 'duration') {
      this.next();
      return { kind: 'num', seconds: parseDurationLiteral(t.text) / 1000 };
    }
    if (t.kind === 'number') {
      this.next();
      return { kind: 'num', seconds: numberValue(t) as number };
    }
    if (this.isOp('(')) {
      this.next();
      const e = this.parseDurationArith(0);
      this.expectOp(')');
      return e;
    }
    if (t.kind === 'ident' && this.isOp('(', 1)) {
      const low = t.text.toLowerCase();
      if (low === 'step' || low === 'range') {
        this.next();
        this.next();
        this.expectOp(')');
        return { kind: low };
      }
      if (low === 'min_of' || low === 'max_of') {
        this.next();
        this.next();
        const args: DurationExpr[] = [this.parseDurationArith(0)];
        while (this.isOp(',')) {
          this.next();
          args.push(this.parseDurationArith(0));
        }
        this.expectOp(')');
        return { kind: 'minmax', fn: low, args };
      }
    }
    this.unexpected(t, `${this.durationWhere}, expected number, duration, step(), or range()`);
  }
}

import { ParseError } from './errors.js';
import { tokenize, type Token } from './lexer.js';
import { AGGREGATORS } from './aggregations-table.js';
import { parseDurationLiteral } from './duration-expr.js';
import { depthMessage, MAX_EXPR_DEPTH } from './depth.js';

export const BINARY_PREC: Record<string, number> = {
  or: 1,
  and: 2, unless: 2,
  '==': 3, '!=': 3, '<=': 3, '<': 3, '>=': 3, '>': 3,
  '+': 4, '-': 4,
  '*': 5, '/': 5, '%': 5, atan2: 5,
  '^': 6,
};
export const COMPARISON = new Set(['==', '!=', '<=', '<', '>=', '>']);
export const SET_OPS = new Set(['and', 'or', 'unless']);
export const UNARY_PREC = 6;

function describe(t: Token): string {
  if (t.kind === 'eof') return 'end of input';
  if (t.kind === 'string') return `string ${t.text}`;
  if (t.kind === 'number') return `number "${t.text}"`;
  if (t.kind === 'duration') return `duration "${t.text}"`;
  if (t.kind === 'ident') {
    const low = t.text.toLowerCase();
    if (KEYWORDS.has(low) || AGGREGATORS[low]) return `<${low}>`;
    return `identifier "${t.text}"`;
  }
  const names: Record<string, string> = { '(': '"("', ')': '")"', '{': '"{"', '}': '"}"', '[': '"["', ']': '"]"', ',': '","', '=': '"="', ':': '":"', '@': '<op:@>' };
  return names[t.text] ?? `<op:${t.text}>`;
}

export const KEYWORDS = new Set(['and', 'or', 'unless', 'atan2', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset', 'start', 'end']);

/** Token cursor and error helpers shared by the parser's parts. */
export class TokenStream {
  protected readonly toks: Token[];
  protected i = 0;
  private nesting = 0;
  constructor(protected readonly input: string) {
    this.toks = tokenize(input);
  }

  /**
   * Runs one level of recursive descent `extra` levels further down (the links of an operator
   * chain built so far), failing cleanly past MAX_EXPR_DEPTH levels instead of overflowing the stack.
   */
  protected nested<T>(f: () => T, extra = 0): T {
    if (this.nesting + extra >= MAX_EXPR_DEPTH) this.fail(this.peek(), depthMessage);
    this.nesting += extra + 1;
    try {
      return f();
    } finally {
      this.nesting -= extra + 1;
    }
  }

  protected peek(k = 0): Token {
    return this.toks[Math.min(this.i + k, this.toks.length - 1)] as Token;
  }

  protected next(): Token {
    const t = this.peek();
    if (this.i < this.toks.length - 1) this.i++;
    return t;
  }

  protected isOp(text: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'op' && t.text === text;
  }

  protected isKw(word: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'ident' && t.text.toLowerCase() === word;
  }

  fail(t: Token, detail: string): never {
    throw new ParseError({ start: t.start, end: t.end }, detail, this.input);
  }

  protected unexpected(t: Token, context = ''): never {
    if (t.kind === 'eof') {
      const depth = (open: string, close: string): number =>
        this.toks.reduce((n, x) => n + (x.kind === 'op' && x.text === open ? 1 : x.kind === 'op' && x.text === close ? -1 : 0), 0);
      if (depth('{', '}') > 0) this.fail(t, 'unexpected end of input inside braces');
      if (depth('(', ')') > 0) this.fail(t, 'unclosed left parenthesis');
    }
    this.fail(t, `unexpected ${describe(t)}${context}`);
  }

  /** Fails at an arbitrary source span (e.g. a whole sub-expression). */
  protected failAt(pos: { start: number; end: number }, detail: string): never {
    throw new ParseError(pos, detail, this.input);
  }

  protected expectOp(text: string, context = ''): Token {
    if (!this.isOp(text)) this.unexpected(this.peek(), context);
    return this.next();
  }

  protected parseSignedNumber(): number {
    let sign = 1;
    if (this.isOp('-') || this.isOp('+')) sign = this.next().text === '-' ? -1 : 1;
    const t = this.next();
    const v = numberValue(t);
    if (v === undefined) this.unexpected(t);
    return sign * v;
  }

  protected parseLabelList(): string[] {
    this.expectOp('(', ' in grouping opts, expected "("');
    const out: string[] = [];
    while (!this.isOp(')')) {
      const t = this.next();
      if (t.kind === 'ident' && /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(t.text)) out.push(t.text);
      else if (t.kind === 'string') out.push(t.value);
      else this.unexpected(t, ' in grouping opts, expected label');
      if (this.isOp(',')) this.next();
      else if (!this.isOp(')')) this.unexpected(this.peek(), ' in grouping opts, expected ")" or ","');
    }
    this.next();
    return out;
  }
}

export function numberValue(t: Token): number | undefined {
  if (t.kind === 'number') {
    if (/^0[xX]/.test(t.text)) return parseInt(t.text, 16);
    return Number(t.text);
  }
  if (t.kind === 'duration') return parseDurationLiteral(t.text) / 1000;
  if (t.kind === 'ident') {
    const low = t.text.toLowerCase();
    if (low === 'inf') return Infinity;
    if (low === 'nan') return NaN;
  }
  return undefined;
}

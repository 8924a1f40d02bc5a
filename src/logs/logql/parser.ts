import { parseDuration } from '../../model/duration.js';
import { newMatcher, type Matcher, type MatchType } from '../../model/matcher.js';
import { compilePattern } from '../parse/pattern.js';
import { compileNamedRegex } from '../parse/regex.js';
import type { BinaryOp, Expr, Grouping, LogExpr, MetricExpr, RangeOp, Stage, Unwrap, VectorOp } from './ast.js';
import { LogQLParseError } from './errors.js';
import { describe, tokenize, type Token, type TokenKind } from './lexer.js';
import * as st from './stages.js';
import { compileTemplate } from './template.js';

const RANGE_OPS: ReadonlySet<string> = new Set<RangeOp>([
  'count_over_time', 'rate', 'bytes_over_time', 'bytes_rate', 'sum_over_time', 'avg_over_time', 'min_over_time', 'max_over_time',
  'stddev_over_time', 'stdvar_over_time', 'quantile_over_time', 'first_over_time', 'last_over_time', 'absent_over_time',
]);
const UNWRAP_OPS: ReadonlySet<string> = new Set(['sum_over_time', 'avg_over_time', 'min_over_time', 'max_over_time', 'stddev_over_time', 'stdvar_over_time', 'quantile_over_time', 'first_over_time', 'last_over_time']);
const VECTOR_OPS: ReadonlySet<string> = new Set<VectorOp>(['sum', 'avg', 'min', 'max', 'count', 'stddev', 'stdvar', 'topk', 'bottomk']);
const LINE_FILTERS: ReadonlySet<TokenKind> = new Set(['|=', '!=', '|~', '!~']);
const CMP_OPS: ReadonlySet<TokenKind> = new Set(['=', '!=', '=~', '!~', '==', '>', '>=', '<', '<=']);
const PRECEDENCE: Readonly<Record<string, number>> = { '+': 1, '-': 1, '*': 2, '/': 2 };

/**
 * How deep a query may nest: parentheses, aggregations, and chains of binary operators or
 * label-filter `and`/`or` (each link is one level: they evaluate recursively). Parsing and
 * evaluation recurse once per level, so without a bound a long query overflows the stack.
 */
export const MAX_LOGQL_DEPTH = 512;

/** Parses a LogQL query; throws LogQLParseError with Loki's `parse error at line L, col C: …` wording. */
export function parseLogQL(query: string): Expr {
  return new Parser(tokenize(query)).parseQuery();
}

class Parser {
  private i = 0;
  /** Levels of the tree above the node being parsed (see MAX_LOGQL_DEPTH). */
  private depth = 0;
  constructor(private readonly toks: Token[]) {}

  /** Parses one level `extra` levels further down, failing cleanly past MAX_LOGQL_DEPTH. */
  private deeper<T>(extra: number, f: () => T): T {
    if (this.depth + extra >= MAX_LOGQL_DEPTH) this.fail(this.peek(), `query nests deeper than ${MAX_LOGQL_DEPTH} levels (parentheses, aggregations, chained operators)`);
    this.depth += extra + 1;
    try {
      return f();
    } finally {
      this.depth -= extra + 1;
    }
  }

  parseQuery(): Expr {
    if (this.peek().kind === 'EOF') this.fail(this.peek(), 'syntax error: unexpected $end');
    const e = this.peek().kind === '{' ? this.parseLog() : this.parseMetric(0);
    this.expect('EOF', 'end of query');
    return e;
  }

  private peek(o = 0): Token {
    return this.toks[Math.min(this.i + o, this.toks.length - 1)]!;
  }
  private next(): Token {
    return this.toks[Math.min(this.i++, this.toks.length - 1)]!;
  }
  private fail(t: Token, msg: string): never {
    throw new LogQLParseError(t.line, t.col, msg);
  }
  private unexpected(t: Token, expecting?: string): never {
    return this.fail(t, `syntax error: unexpected ${describe(t)}${expecting ? `, expecting ${expecting}` : ''}`);
  }
  private expect(kind: TokenKind, expecting: string = kind): Token {
    const t = this.next();
    if (t.kind !== kind) this.unexpected(t, expecting);
    return t;
  }
  private isIdent(text: string): boolean {
    return this.peek().kind === 'IDENTIFIER' && this.peek().text === text;
  }
  /** Runs a stage compiler, turning its error into a positioned parse error. */
  private at<T>(t: Token, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof LogQLParseError) throw e;
      return this.fail(t, (e as Error).message);
    }
  }

  private parseSelector(): Matcher[] {
    const open = this.expect('{', '{');
    const ms: Matcher[] = [];
    while (this.peek().kind !== '}') {
      const name = this.expect('IDENTIFIER', 'IDENTIFIER');
      const op = this.next();
      if (op.kind !== '=' && op.kind !== '!=' && op.kind !== '=~' && op.kind !== '!~') this.unexpected(op, '= or != or =~ or !~');
      const val = this.expect('STRING', 'STRING');
      ms.push(this.at(val, () => newMatcher(op.kind as MatchType, name.text, val.text)));
      if (this.peek().kind === ',') this.next();
      else if (this.peek().kind !== '}') this.unexpected(this.peek(), ', or }');
    }
    this.next();
    if (!ms.some((m) => !m.matches(''))) {
      this.fail(open, 'queries require at least one regexp or equality matcher that does not have an empty-compatible value. For instance, app=~".*" does not meet this requirement, but app=~".+" will');
    }
    return ms;
  }

  private parseLog(): LogExpr {
    const matchers = this.parseSelector();
    return this.parsePipeline(matchers);
  }

  private parsePipeline(matchers: Matcher[]): LogExpr {
    const stages: Stage[] = [];
    const lineFilters: Array<(l: string) => boolean> = [];
    let lineChanged = false;
    let unwrap: Unwrap | undefined;
    for (;;) {
      const t = this.peek();
      if (LINE_FILTERS.has(t.kind)) {
        this.next();
        const v = this.expect('STRING', 'STRING');
        const f = this.at(v, () => st.lineFilter(t.kind as st.LineFilterOp, v.text));
        if (unwrap) this.fail(t, 'syntax error: only label filters may follow unwrap');
        if (lineChanged) stages.push(st.lineFilterStage(f));
        else lineFilters.push(f);
        continue;
      }
      if (t.kind !== '|') break;
      this.next();
      const kw = this.peek();
      if (kw.kind !== 'IDENTIFIER' && kw.kind !== '(') this.unexpected(kw, 'IDENTIFIER');
      const isFilter = CMP_OPS.has(this.peek(1).kind) || kw.kind === '(';
      if (unwrap && !isFilter) this.fail(kw, 'syntax error: only label filters may follow unwrap');
      if (isFilter) {
        stages.push(st.labelFilterStage(this.parseLabelFilterOr()));
        continue;
      }
      this.next();
      switch (kw.text) {
        case 'json': stages.push(st.jsonStage(this.parseJsonParams())); break;
        case 'logfmt': stages.push(st.logfmtStage()); break;
        case 'pattern': {
          const p = this.expect('STRING', 'STRING');
          stages.push(st.extractorStage('pattern', this.at(p, () => compilePattern(p.text))));
          break;
        }
        case 'regexp': {
          const p = this.expect('STRING', 'STRING');
          stages.push(st.extractorStage('regexp', this.at(p, () => compileNamedRegex(p.text))));
          break;
        }
        case 'line_format': {
          const p = this.expect('STRING', 'STRING');
          stages.push(st.lineFormatStage(this.at(p, () => compileTemplate(p.text))));
          lineChanged = true;
          break;
        }
        case 'label_format': stages.push(st.labelFormatStage(this.parseLabelFormat())); break;
        case 'drop': case 'keep': stages.push(st.dropKeepStage(kw.text, this.parseDropKeep())); break;
        case 'decolorize': stages.push(st.decolorizeStage()); lineChanged = true; break;
        case 'unwrap': unwrap = this.parseUnwrap(); break;
        default: this.fail(kw, `syntax error: unexpected IDENTIFIER ${JSON.stringify(kw.text)}, expecting json, logfmt, pattern, regexp, line_format, label_format, drop, keep, decolorize, unwrap or a label filter`);
      }
    }
    const e: LogExpr = { kind: 'log', matchers, stages, lineFilters };
    if (unwrap) e.unwrap = unwrap;
    return e;
  }

  private parseJsonParams(): Array<{ name: string; path: string }> {
    const out: Array<{ name: string; path: string }> = [];
    while (this.peek().kind === 'IDENTIFIER' && this.peek(1).kind === '=') {
      const name = this.next().text;
      this.next();
      out.push({ name, path: this.expect('STRING', 'STRING').text });
      if (this.peek().kind !== ',') break;
      this.next();
    }
    return out;
  }

  private parseLabelFormat(): Array<{ dst: string; src?: string; tpl?: ReturnType<typeof compileTemplate> }> {
    const items: Array<{ dst: string; src?: string; tpl?: ReturnType<typeof compileTemplate> }> = [];
    do {
      if (items.length) this.next();
      const dst = this.expect('IDENTIFIER', 'IDENTIFIER').text;
      this.expect('=', '=');
      const v = this.next();
      if (v.kind === 'IDENTIFIER') items.push({ dst, src: v.text });
      else if (v.kind === 'STRING') items.push({ dst, tpl: this.at(v, () => compileTemplate(v.text)) });
      else this.unexpected(v, 'IDENTIFIER or STRING');
    } while (this.peek().kind === ',');
    return items;
  }

  private parseDropKeep(): Array<{ name: string; matcher?: Matcher }> {
    const items: Array<{ name: string; matcher?: Matcher }> = [];
    do {
      if (items.length) this.next();
      const name = this.expect('IDENTIFIER', 'IDENTIFIER').text;
      const op = this.peek().kind;
      if (op === '=' || op === '!=' || op === '=~' || op === '!~') {
        this.next();
        const v = this.expect('STRING', 'STRING');
        items.push({ name, matcher: this.at(v, () => newMatcher(op, name, v.text)) });
      } else items.push({ name });
    } while (this.peek().kind === ',');
    return items;
  }

  private parseUnwrap(): Unwrap {
    const id = this.expect('IDENTIFIER', 'IDENTIFIER');
    if (this.peek().kind === '(') {
      const conv = id.text === 'duration' || id.text === 'duration_seconds' ? 'duration' : id.text === 'bytes' ? 'bytes' : this.fail(id, `syntax error: unknown unwrap conversion ${JSON.stringify(id.text)}, expecting duration, duration_seconds or bytes`);
      this.next();
      const label = this.expect('IDENTIFIER', 'IDENTIFIER').text;
      this.expect(')', ')');
      return { label, conversion: conv };
    }
    return { label: id.text, conversion: 'float' };
  }

  private parseLabelFilterOr(): st.LabelPredicate {
    let left = this.deeper(0, () => this.parseLabelFilterAnd());
    for (let chain = 1; this.isIdent('or'); chain++) {
      this.next();
      const l = left;
      const r = this.deeper(chain - 1, () => this.parseLabelFilterAnd());
      left = (x) => l(x) || r(x);
    }
    return left;
  }

  private parseLabelFilterAnd(): st.LabelPredicate {
    let left = this.deeper(0, () => this.parseLabelFilterPrimary());
    for (let chain = 1; this.isIdent('and') || (this.peek().kind === ',' && this.peek(1).kind === 'IDENTIFIER') || (this.peek().kind === 'IDENTIFIER' && CMP_OPS.has(this.peek(1).kind)); chain++) {
      if (this.peek().kind !== 'IDENTIFIER' || this.isIdent('and')) this.next();
      const l = left;
      const r = this.deeper(chain - 1, () => this.parseLabelFilterPrimary());
      left = (x) => l(x) && r(x);
    }
    return left;
  }

  private parseLabelFilterPrimary(): st.LabelPredicate {
    if (this.peek().kind === '(') {
      this.next();
      const e = this.parseLabelFilterOr();
      this.expect(')', ')');
      return e;
    }
    const name = this.expect('IDENTIFIER', 'IDENTIFIER');
    const op = this.next();
    if (!CMP_OPS.has(op.kind)) this.unexpected(op, 'a comparison operator');
    let neg = false;
    if (this.peek().kind === '-') {
      this.next();
      neg = true;
    }
    const v = this.next();
    const type = v.kind === 'STRING' ? 'string' : v.kind === 'NUMBER' ? 'number' : v.kind === 'DURATION' ? 'duration' : v.kind === 'BYTES' ? 'bytes' : this.unexpected(v, 'STRING or NUMBER or DURATION or BYTES');
    if (neg && type === 'string') this.unexpected(v, 'NUMBER');
    return this.at(op, () => st.labelComparison(name.text, op.kind as st.CmpOp, { type, text: neg ? `-${v.text}` : v.text }));
  }

  private parseRange(): number {
    this.expect('[', '[');
    const d = this.next();
    if (d.kind !== 'DURATION' && d.kind !== 'NUMBER') this.unexpected(d, 'DURATION');
    const ms = this.at(d, () => parseDuration(d.text));
    if (ms <= 0) this.fail(d, `range must be positive, got ${d.text}`);
    this.expect(']', ']');
    return ms;
  }

  private parseGrouping(): Grouping | undefined {
    if (!this.isIdent('by') && !this.isIdent('without')) return undefined;
    const without = this.next().text === 'without';
    this.expect('(', '(');
    const labels: string[] = [];
    while (this.peek().kind !== ')') {
      labels.push(this.expect('IDENTIFIER', 'IDENTIFIER').text);
      if (this.peek().kind === ',') this.next();
      else if (this.peek().kind !== ')') this.unexpected(this.peek(), ', or )');
    }
    this.next();
    return { without, labels };
  }

  private parseMetric(minPrec: number): MetricExpr {
    let left = this.deeper(0, () => this.parseMetricOperand());
    for (let chain = 1; ; chain++) {
      const op = this.peek();
      const prec = PRECEDENCE[op.kind];
      if (prec === undefined || prec < minPrec) break;
      this.next();
      const right = this.deeper(chain - 1, () => this.parseMetric(prec + 1));
      left = { kind: 'binary', op: op.kind as BinaryOp, left, right };
    }
    return left;
  }

  private parseMetricOperand(): MetricExpr {
    const t = this.peek();
    if (t.kind === 'NUMBER') {
      this.next();
      return { kind: 'number', value: Number(t.text) };
    }
    if (t.kind === '-' && this.peek(1).kind === 'NUMBER') {
      this.next();
      return { kind: 'number', value: -Number(this.next().text) };
    }
    if (t.kind === '(') {
      this.next();
      const e = this.parseMetric(0);
      this.expect(')', ')');
      return e;
    }
    if (t.kind === '{') this.fail(t, 'syntax error: a log query cannot be used here; wrap it in a range aggregation like count_over_time({...}[5m])');
    if (t.kind !== 'IDENTIFIER') this.unexpected(t, 'a metric query');
    if (RANGE_OPS.has(t.text)) return this.parseRangeAgg();
    if (VECTOR_OPS.has(t.text)) return this.parseVectorAgg();
    return this.fail(t, `syntax error: unexpected IDENTIFIER ${JSON.stringify(t.text)}, expecting a range or vector aggregation`);
  }

  private parseRangeAgg(): MetricExpr {
    const opTok = this.next();
    const op = opTok.text as RangeOp;
    this.expect('(', '(');
    let param: number | undefined;
    if (op === 'quantile_over_time') {
      param = Number(this.expect('NUMBER', 'NUMBER').text);
      this.expect(',', ',');
    }
    const matchers = this.parseSelector();
    let rangeMs: number | undefined;
    if (this.peek().kind === '[') rangeMs = this.parseRange();
    const log = this.parsePipeline(matchers);
    if (rangeMs === undefined) rangeMs = this.parseRange();
    else if (this.peek().kind === '[') this.unexpected(this.peek(), ')');
    this.expect(')', ')');
    const grouping = this.parseGrouping();
    if (UNWRAP_OPS.has(op) && !log.unwrap) this.fail(opTok, `invalid aggregation ${op} without unwrap`);
    if (!UNWRAP_OPS.has(op) && op !== 'rate' && log.unwrap) this.fail(opTok, `invalid aggregation ${op} with unwrap`);
    if (grouping && !log.unwrap) this.fail(opTok, `grouping not allowed for ${op} aggregation`);
    const e: MetricExpr = { kind: 'range', op, log, rangeMs };
    if (param !== undefined) e.param = param;
    if (grouping) e.grouping = grouping;
    return e;
  }

  private parseVectorAgg(): MetricExpr {
    const opTok = this.next();
    const op = opTok.text as VectorOp;
    let grouping = this.parseGrouping();
    this.expect('(', '(');
    let param: number | undefined;
    if (op === 'topk' || op === 'bottomk') {
      const k = this.expect('NUMBER', 'NUMBER');
      param = Number(k.text);
      if (!Number.isInteger(param) || param < 1) this.fail(k, `${op}: k must be a positive integer, got ${k.text}`);
      this.expect(',', ',');
    }
    const expr = this.parseMetric(0);
    this.expect(')', ')');
    const after = this.parseGrouping();
    if (after && grouping) this.fail(this.peek(), 'syntax error: grouping given twice');
    grouping ??= after;
    const e: MetricExpr = { kind: 'vector', op, expr };
    if (param !== undefined) e.param = param;
    if (grouping) e.grouping = grouping;
    return e;
  }
}

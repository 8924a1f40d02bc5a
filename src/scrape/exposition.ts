/**
 * What both exposition parsers produce, and the pieces of a sample line they share
 * (`name{label="value",...} value [timestamp]`). Every error names its 1-based line.
 */

/** One sample as exposed: `labels` includes `__name__`; `timestamp` (ms) only when the exposition gave one. */
export interface ParsedSample {
  readonly labels: Record<string, string>;
  readonly value: number;
  readonly timestamp?: number;
}

export type MetricType =
  | 'counter'
  | 'gauge'
  | 'histogram'
  | 'gaugehistogram'
  | 'summary'
  | 'info'
  | 'stateset'
  | 'untyped'
  | 'unknown';

export interface ParseResult {
  readonly samples: ParsedSample[];
  /** Metric family name → declared TYPE. */
  readonly types: Map<string, MetricType>;
  readonly help: Map<string, string>;
  /** OpenMetrics only: family name → UNIT. */
  readonly units: Map<string, string>;
}

/** A malformed exposition. The message reads `line N: what was wrong`. */
export class ExpositionError extends Error {
  override name = 'ExpositionError';
  constructor(
    readonly line: number,
    readonly detail: string,
  ) {
    super(`line ${line}: ${detail}`);
  }
}

const METRIC_START = /[a-zA-Z_:]/;
const METRIC_CHAR = /[a-zA-Z0-9_:]/;
const LABEL_START = /[a-zA-Z_]/;
const LABEL_CHAR = /[a-zA-Z0-9_]/;
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Go's strconv.ParseFloat for the forms expositions use: decimals, exponents, NaN, ±Inf(inity). */
export function parseGoFloat(s: string): number | undefined {
  if (DECIMAL.test(s)) return Number(s);
  const lower = s.toLowerCase();
  if (lower === 'nan') return NaN;
  const unsigned = lower.replace(/^[+-]/, '');
  if (unsigned === 'inf' || unsigned === 'infinity') return lower.startsWith('-') ? -Infinity : Infinity;
  return undefined;
}

/** A cursor over one line. */
export class LineCursor {
  pos = 0;
  constructor(
    readonly text: string,
    readonly lineNo: number,
  ) {}

  fail(detail: string): never {
    throw new ExpositionError(this.lineNo, detail);
  }
  peek(): string | undefined {
    return this.text[this.pos];
  }
  atEnd(): boolean {
    return this.pos >= this.text.length;
  }
  /** Skips blanks; returns how many. */
  skipBlanks(): number {
    const start = this.pos;
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
    return this.pos - start;
  }
  /** The next run of non-blank characters. */
  token(): string {
    const start = this.pos;
    while (!this.atEnd() && this.peek() !== ' ' && this.peek() !== '\t') this.pos++;
    return this.text.slice(start, this.pos);
  }
  rest(): string {
    return this.text.slice(this.pos);
  }

  metricName(): string {
    const start = this.pos;
    if (!METRIC_START.test(this.peek() ?? '')) this.fail(`expected a metric name, got ${JSON.stringify(this.rest().slice(0, 20))}`);
    this.pos++;
    while (METRIC_CHAR.test(this.peek() ?? '')) this.pos++;
    return this.text.slice(start, this.pos);
  }

  private labelName(): string {
    const start = this.pos;
    if (!LABEL_START.test(this.peek() ?? '')) this.fail(`expected a label name, got ${JSON.stringify(this.rest().slice(0, 20))}`);
    this.pos++;
    while (LABEL_CHAR.test(this.peek() ?? '')) this.pos++;
    return this.text.slice(start, this.pos);
  }

  /** A double-quoted label value. `\\`, `\"` and `\n` are unescaped; other escapes stay as written (as Prometheus does). */
  private quoted(name: string): string {
    if (this.peek() !== '"') this.fail(`expected a quoted value for label "${name}"`);
    this.pos++;
    let out = '';
    for (;;) {
      const c = this.peek();
      if (c === undefined) this.fail(`unterminated value for label "${name}"`);
      this.pos++;
      if (c === '"') return out;
      if (c === '\\') {
        const e = this.peek();
        if (e === undefined) this.fail(`unterminated value for label "${name}"`);
        this.pos++;
        out += e === 'n' ? '\n' : e === '\\' || e === '"' ? e : `\\${e}`;
      } else out += c;
    }
  }

  /** `{a="1",b="2",}` into `into` (which already holds __name__); the cursor is on `{`. */
  labelSet(into: Record<string, string>): void {
    this.pos++;
    for (;;) {
      this.skipBlanks();
      if (this.peek() === '}') {
        this.pos++;
        return;
      }
      const name = this.labelName();
      this.skipBlanks();
      if (this.peek() !== '=') this.fail(`expected "=" after label name "${name}"`);
      this.pos++;
      this.skipBlanks();
      const value = this.quoted(name);
      if (Object.hasOwn(into, name)) this.fail(`duplicate label name "${name}"`);
      into[name] = value;
      this.skipBlanks();
      const sep = this.peek();
      if (sep === ',') this.pos++;
      else if (sep !== '}') this.fail(`expected "," or "}" after the value of label "${name}"`);
    }
  }

  /** `name{labels}` at the cursor. */
  series(): Record<string, string> {
    const labels: Record<string, string> = { __name__: this.metricName() };
    this.skipBlanks();
    if (this.peek() === '{') this.labelSet(labels);
    return labels;
  }

  value(): number {
    this.skipBlanks();
    const tok = this.token();
    if (tok === '') this.fail('expected a float value, got end of line');
    const v = parseGoFloat(tok);
    if (v === undefined) this.fail(`expected a float value, got ${JSON.stringify(tok)}`);
    return v;
  }
}

/** Splits an exposition into lines, tolerating `\r\n`. */
export function splitLines(body: string): string[] {
  const lines = body.split('\n');
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

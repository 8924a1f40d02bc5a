/**
 * Go's strconv float formatting ('e', 'f', 'g' with a precision, and the shortest form), so
 * templates print numbers byte for byte as Prometheus does (`{{ $value }}` of 1234567 is
 * `1.234567e+06`, `humanize` is `%.4g`). Digits come from the exact binary value; a precision
 * cut rounds half to even on that exact value, as Go's decimal rounding does.
 */

interface Digits {
  /** Significant digits without leading or trailing zeros ('' for zero). */
  readonly d: string;
  /** Position of the decimal point relative to the first digit: value = 0.d × 10^dp. */
  readonly dp: number;
}

const view = new DataView(new ArrayBuffer(8));

/** The exact decimal expansion of |x| (x finite). */
function exactDigits(x: number): Digits {
  if (x === 0) return { d: '', dp: 0 };
  view.setFloat64(0, Math.abs(x));
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (biased === 0) exp = -1074;
  else {
    mant |= 1n << 52n;
    exp = biased - 1075;
  }
  let s: string;
  let dp: number;
  if (exp >= 0) {
    s = (mant << BigInt(exp)).toString();
    dp = s.length;
  } else {
    s = (mant * 5n ** BigInt(-exp)).toString();
    dp = s.length + exp;
  }
  return trim({ d: s, dp });
}

function trim(x: Digits): Digits {
  let start = 0;
  while (start < x.d.length && x.d[start] === '0') start++;
  let end = x.d.length;
  while (end > start && x.d[end - 1] === '0') end--;
  return { d: x.d.slice(start, end), dp: x.dp - start };
}

/** The shortest digits that read back as x (what Go's precision -1 prints). */
function shortestDigits(x: number): Digits {
  if (x === 0) return { d: '', dp: 0 };
  const [mant, e] = Math.abs(x).toExponential().split('e') as [string, string];
  return trim({ d: mant.replace('.', ''), dp: Number(e) + 1 });
}

/** Rounds to `nd` significant digits (nd may be ≤ 0), half to even on the exact digits. */
function roundTo(x: Digits, nd: number): Digits {
  if (nd < 0) return { d: '', dp: 0 };
  if (x.d.length <= nd) return x;
  const rest = x.d.slice(nd);
  let up: boolean;
  if (rest[0] === undefined || rest[0] < '5') up = false;
  else if (rest[0] > '5' || /[1-9]/.test(rest.slice(1))) up = true;
  else up = nd > 0 && Number(x.d[nd - 1]) % 2 === 1;
  if (!up) return trim({ d: x.d.slice(0, nd), dp: x.dp });
  // Add one at position nd-1, carrying.
  const digits = x.d.slice(0, nd).split('').map(Number);
  let i = nd - 1;
  while (i >= 0) {
    const v = (digits[i] as number) + 1;
    if (v < 10) {
      digits[i] = v;
      break;
    }
    digits[i] = 0;
    i--;
  }
  if (i < 0) return trim({ d: `1${digits.join('')}`, dp: x.dp + 1 });
  return trim({ d: digits.join(''), dp: x.dp });
}

function digitAt(x: Digits, i: number): string {
  return x.d[i] ?? '0';
}

function fmtE(neg: boolean, x: Digits, prec: number, ch: 'e' | 'E'): string {
  let out = neg ? '-' : '';
  out += x.d.length ? digitAt(x, 0) : '0';
  if (prec > 0) {
    out += '.';
    for (let i = 1; i <= prec; i++) out += digitAt(x, i);
  }
  const exp = x.d.length === 0 ? 0 : x.dp - 1;
  const abs = Math.abs(exp);
  return `${out}${ch}${exp < 0 ? '-' : '+'}${abs < 10 ? '0' : ''}${abs}`;
}

function fmtF(neg: boolean, x: Digits, prec: number): string {
  let out = neg ? '-' : '';
  if (x.dp > 0) {
    for (let i = 0; i < x.dp; i++) out += digitAt(x, i);
  } else out += '0';
  if (prec > 0) {
    out += '.';
    for (let i = 0; i < prec; i++) {
      const j = x.dp + i;
      out += j < 0 ? '0' : digitAt(x, j);
    }
  }
  return out;
}

export type FloatVerb = 'e' | 'E' | 'f' | 'F' | 'g' | 'G';

/** strconv.FormatFloat(v, verb, prec, 64). prec -1 means the shortest exact representation. */
export function formatFloat(v: number, verb: FloatVerb, prec: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const neg = v < 0 || Object.is(v, -0);
  const shortest = prec < 0;
  let digs: Digits;
  switch (verb) {
    case 'e':
    case 'E':
      digs = shortest ? shortestDigits(v) : roundTo(exactDigits(v), prec + 1);
      if (shortest) prec = Math.max(digs.d.length - 1, 0);
      return fmtE(neg, digs, prec, verb);
    case 'f':
    case 'F':
      digs = shortest ? shortestDigits(v) : roundTo(exactDigits(v), exactDigits(v).dp + prec);
      if (shortest) prec = Math.max(digs.d.length - digs.dp, 0);
      return fmtF(neg, digs, prec);
    case 'g':
    case 'G': {
      if (prec === 0) prec = 1;
      digs = shortest ? shortestDigits(v) : roundTo(exactDigits(v), prec);
      const nd = digs.d.length;
      let eprec = shortest ? 6 : prec;
      if (!shortest && eprec > nd && nd >= digs.dp) eprec = nd;
      const exp = digs.dp - 1;
      if (shortest) prec = nd;
      if (exp < -4 || exp >= eprec) {
        if (prec > nd) prec = nd;
        return fmtE(neg, digs, Math.max(prec - 1, 0), verb === 'g' ? 'e' : 'E');
      }
      if (prec > digs.dp) prec = nd;
      return fmtF(neg, digs, Math.max(prec - digs.dp, 0));
    }
    default: {
      const never: never = verb;
      return never;
    }
  }
}

/** How fmt prints a float64 with %v (Print, Sprint, `{{ $value }}`): shortest %g. */
export function formatFloatV(v: number): string {
  return formatFloat(v, 'g', -1);
}

/**
 * strconv.ParseFloat(s, 64): decimal and hexadecimal floats, `inf`/`infinity`/`nan` in any
 * case with an optional sign, underscores only between digits of a prefixed number.
 */
export function parseGoFloat(s: string): number {
  const bad = (): never => {
    throw new Error(`strconv.ParseFloat: parsing ${goQuoteString(s)}: invalid syntax`);
  };
  const m = /^([+-]?)(.*)$/s.exec(s) as RegExpExecArray;
  const sign = m[1] === '-' ? -1 : 1;
  const body = m[2] as string;
  const lower = body.toLowerCase();
  if (lower === 'inf' || lower === 'infinity') return sign * Infinity;
  if (lower === 'nan') return NaN;
  if (/^0x/i.test(body)) {
    const h = /^0x((?:[0-9a-f]_?)*)(?:\.((?:[0-9a-f]_?)*))?p([+-]?\d+)$/i.exec(body);
    if (!h || (h[1] === '' && !h[2])) return bad();
    const int = (h[1] as string).replace(/_/g, '');
    const frac = (h[2] ?? '').replace(/_/g, '');
    let v = 0;
    for (const c of int + frac) v = v * 16 + parseInt(c, 16);
    return sign * v * 2 ** (Number(h[3]) - 4 * frac.length);
  }
  if (!/^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(body)) return bad();
  const v = Number(body);
  if (!Number.isFinite(v)) throw new Error(`strconv.ParseFloat: parsing ${goQuoteString(s)}: value out of range`);
  return sign * v;
}

/** strconv.Quote for a JS string (printable runes kept, others escaped as Go does). */
export function goQuoteString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\x07':
        out += '\\a';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\f':
        out += '\\f';
        continue;
      case '\v':
        out += '\\v';
        continue;
    }
    if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c >= 0x80 && c < 0xa0) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

import { formatFloat, goQuoteString, type FloatVerb } from './go-float.js';
import { GoDuration, GoHTML, GoTime, Int, durationString, sprintV, timeString, typeName, type GoValue } from './values.js';

/**
 * fmt.Sprintf for template values: verbs v s q d f F e E g G x X t c b o %, flags `+-# 0`,
 * width and precision (also `*`), and Go's complaints in the output for a wrong type
 * (`%!d(float64=1.5)`), a missing argument (`%!d(MISSING)`) or extra ones (`%!(EXTRA …)`).
 */
interface Spec {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width?: number;
  prec?: number;
}

function pad(s: string, spec: Spec, numeric: boolean): string {
  const w = spec.width;
  if (w === undefined || [...s].length >= w) return s;
  const n = w - [...s].length;
  if (spec.minus) return s + ' '.repeat(n);
  if (spec.zero && numeric) {
    const sign = /^[+\- ]/.test(s) ? (s[0] as string) : '';
    return sign + '0'.repeat(n) + s.slice(sign.length);
  }
  return ' '.repeat(n) + s;
}

function signed(s: string, spec: Spec): string {
  if (s.startsWith('-')) return s;
  if (spec.plus) return `+${s}`;
  if (spec.space) return ` ${s}`;
  return s;
}

function bad(verb: string, v: GoValue): string {
  return v === null ? `%!${verb}(<nil>)` : `%!${verb}(${typeName(v)}=${sprintV(v)})`;
}

function stringer(v: GoValue): string | undefined {
  if (typeof v === 'string') return v;
  if (v instanceof GoHTML) return v.s;
  if (v instanceof GoTime) return timeString(v);
  if (v instanceof GoDuration) return durationString(v.ns);
  return undefined;
}

function fmtInt(n: number, verb: string, spec: Spec): string {
  let s: string;
  const neg = n < 0;
  const a = BigInt(Math.abs(Math.trunc(n)));
  switch (verb) {
    case 'd':
    case 'v':
      s = a.toString();
      break;
    case 'x':
      s = (spec.sharp ? '0x' : '') + a.toString(16);
      break;
    case 'X':
      s = (spec.sharp ? '0X' : '') + a.toString(16).toUpperCase();
      break;
    case 'o':
      s = (spec.sharp ? '0' : '') + a.toString(8);
      break;
    case 'b':
      s = a.toString(2);
      break;
    case 'c':
      return pad(String.fromCodePoint(Number(a)), spec, false);
    case 'q':
      return pad(`'${String.fromCodePoint(Number(a))}'`, spec, false);
    default:
      return '';
  }
  if (spec.prec !== undefined) s = s.padStart(spec.prec, '0');
  return pad(signed(neg ? `-${s}` : s, spec), spec, spec.prec === undefined);
}

function fmtFloatVerb(f: number, verb: string, spec: Spec): string {
  const v = (verb === 'v' ? 'g' : verb) as FloatVerb;
  const prec = spec.prec ?? (v === 'g' || v === 'G' ? -1 : 6);
  let s = formatFloat(f, v, prec);
  if (Number.isFinite(f)) return pad(signed(s, spec), spec, true);
  // Infinities always carry their sign; NaN only when asked for. Neither is zero-padded.
  if (Number.isNaN(f) && (spec.plus || spec.space)) s = `${spec.plus ? '+' : ' '}${s}`;
  return pad(s, spec, false);
}

function formatOne(verb: string, v: GoValue, spec: Spec): string {
  if (verb === 'T') return pad(typeName(v), spec, false);
  if (verb === 'v') {
    if (typeof v === 'number') return fmtFloatVerb(v, 'g', spec);
    if (v instanceof Int) return fmtInt(v.v, 'd', spec);
    if (typeof v === 'string' && spec.sharp) return pad(goQuoteString(v), spec, false);
    return pad(sprintV(v), spec, false);
  }
  if (typeof v === 'number') {
    if ('eEfFgG'.includes(verb)) return fmtFloatVerb(v, verb, spec);
    return bad(verb, v);
  }
  if (v instanceof Int || v instanceof GoDuration) {
    const n = v instanceof Int ? v.v : v.ns;
    if ('dxXobcq'.includes(verb)) return fmtInt(n, verb, spec);
    if (v instanceof GoDuration && verb === 's') return pad(durationString(v.ns), spec, false);
    return bad(verb, v);
  }
  if (typeof v === 'boolean') return verb === 't' ? pad(String(v), spec, false) : bad(verb, v);
  const str = stringer(v);
  if (str !== undefined) {
    switch (verb) {
      case 's': {
        const cut = spec.prec !== undefined ? [...str].slice(0, spec.prec).join('') : str;
        return pad(cut, spec, false);
      }
      case 'q':
        return pad(goQuoteString(str), spec, false);
      case 'x':
      case 'X': {
        const hex = [...Buffer.from(str, 'utf8')].map((b) => b.toString(16).padStart(2, '0')).join('');
        return pad(verb === 'X' ? hex.toUpperCase() : hex, spec, false);
      }
    }
    return bad(verb, v);
  }
  return bad(verb, v);
}

/** Go's fmt.Sprintf over template values. */
export function goSprintf(format: string, args: readonly GoValue[]): string {
  let out = '';
  let argi = 0;
  const take = (): GoValue | typeof MISSING => (argi < args.length ? (args[argi++] as GoValue) : MISSING);
  let i = 0;
  while (i < format.length) {
    const c = format[i] as string;
    if (c !== '%') {
      out += c;
      i++;
      continue;
    }
    i++;
    const spec: Spec = { plus: false, minus: false, sharp: false, space: false, zero: false };
    for (; i < format.length; i++) {
      const f = format[i];
      if (f === '+') spec.plus = true;
      else if (f === '-') spec.minus = true;
      else if (f === '#') spec.sharp = true;
      else if (f === ' ') spec.space = true;
      else if (f === '0') spec.zero = true;
      else break;
    }
    const num = (): number | undefined => {
      if (format[i] === '*') {
        i++;
        const a = take();
        return a instanceof Int ? a.v : undefined;
      }
      const m = /^\d+/.exec(format.slice(i));
      if (!m) return undefined;
      i += m[0].length;
      return Number(m[0]);
    };
    const w = num();
    if (w !== undefined) spec.width = w;
    if (format[i] === '.') {
      i++;
      spec.prec = num() ?? 0;
    }
    const verb = format[i];
    if (verb === undefined) {
      out += '%!(NOVERB)';
      break;
    }
    i++;
    if (verb === '%') {
      out += '%';
      continue;
    }
    const a = take();
    if (a === MISSING) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += formatOne(verb, a, spec);
  }
  if (argi < args.length) {
    out += `%!(EXTRA ${args
      .slice(argi)
      .map((a) => (a === null ? '<nil>' : `${typeName(a)}=${sprintV(a)}`))
      .join(', ')})`;
  }
  return out;
}

const MISSING = Symbol('missing');

/** fmt.Sprint: operands printed with %v, a space added between two operands when neither is a string. */
export function goSprint(args: readonly GoValue[]): string {
  let out = '';
  args.forEach((a, i) => {
    const isStr = typeof a === 'string';
    if (i > 0 && !isStr && typeof args[i - 1] !== 'string') out += ' ';
    out += sprintV(a);
  });
  return out;
}

/** fmt.Sprintln: operands always separated by spaces, newline appended. */
export function goSprintln(args: readonly GoValue[]): string {
  return `${args.map((a) => sprintV(a)).join(' ')}\n`;
}

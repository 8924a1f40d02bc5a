import { ParseError } from './errors.js';
import { latin1 } from '../model/arrays.js';

export type TokenKind =
  | 'ident' // identifiers, keywords, metric names (may contain ':')
  | 'number'
  | 'duration'
  | 'string'
  | 'op' // operators and punctuation
  | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Source text; for strings the unquoted value is in `value`. */
  readonly text: string;
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

const OPS = ['==', '!=', '>=', '<=', '=~', '!~', '>/', '</', '+', '-', '*', '/', '%', '^', '>', '<', '=', ',', '(', ')', '{', '}', '[', ']', ':', '@'];
const DURATION_RE = /^(?:\d+(?:ms|s|m|h|d|w|y))+/;
/** Units largest first, each at most once (`1h30m`, not `30m1h`). */
const ORDERED_DURATION_RE = /^(?:\d+y)?(?:\d+w)?(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?(?:\d+ms)?$/;
const NUMBER_RE = /^(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/;
const IDENT_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

/** Splits a PromQL query into tokens. Comments (`# …`) are dropped. */
export function tokenize(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let bracketDepth = 0;
  while (i < input.length) {
    const c = input[i] as string;
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < input.length && input[i] !== '\n') i++;
      continue;
    }
    const rest = input.slice(i);
    if (c === '"' || c === "'" || c === '`') {
      const { value, end } = lexString(input, i);
      out.push({ kind: 'string', text: input.slice(i, end), value, start: i, end });
      i = end;
      continue;
    }
    if (/[0-9.]/.test(c)) {
      const d = DURATION_RE.exec(rest);
      const n = NUMBER_RE.exec(rest);
      const len = Math.max(d?.[0].length ?? 0, n?.[0].length ?? 0);
      const after = rest[len];
      if ((d || n) && after !== undefined && /[a-zA-Z0-9_.]/.test(after)) {
        const bad = /^[a-zA-Z0-9_.]+/.exec(rest)?.[0] ?? rest;
        throw new ParseError({ start: i, end: i + bad.length }, `bad number or duration syntax: "${bad}"`, input);
      }
      if (d && (!n || d[0].length > n[0].length)) {
        if (!ORDERED_DURATION_RE.test(d[0])) throw new ParseError({ start: i, end: i + d[0].length }, `not a valid duration string: "${d[0]}"`, input);
        out.push({ kind: 'duration', text: d[0], value: d[0], start: i, end: i + d[0].length });
        i += d[0].length;
        continue;
      }
      if (n) {
        out.push({ kind: 'number', text: n[0], value: n[0], start: i, end: i + n[0].length });
        i += n[0].length;
        continue;
      }
    }
    const id = bracketDepth > 0 && c === ':' ? null : IDENT_RE.exec(rest);
    if (id) {
      out.push({ kind: 'ident', text: id[0], value: id[0], start: i, end: i + id[0].length });
      i += id[0].length;
      continue;
    }
    const op = OPS.find((o) => rest.startsWith(o));
    if (op) {
      if (op === '[') bracketDepth++;
      else if (op === ']') bracketDepth = Math.max(0, bracketDepth - 1);
      out.push({ kind: 'op', text: op, value: op, start: i, end: i + op.length });
      i += op.length;
      continue;
    }
    throw new ParseError({ start: i, end: i + 1 }, `unexpected character: ${goRune(c)}`, input);
  }
  out.push({ kind: 'eof', text: '', value: '', start: input.length, end: input.length });
  return out;
}

const SIMPLE_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'" };

/** Reads a Go-style quoted string starting at `start`; returns the decoded value and end offset. */
export function lexString(input: string, start: number): { value: string; end: number } {
  const q = input[start] as string;
  let i = start + 1;
  if (q === '`') {
    const close = input.indexOf('`', i);
    if (close < 0) throw new ParseError({ start, end: input.length }, 'unterminated raw string', input);
    return { value: input.slice(i, close), end: close + 1 };
  }
  const bytes: number[] = [];
  const enc = new TextEncoder();
  const pushStr = (s: string): void => {
    for (const b of enc.encode(s)) bytes.push(b);
  };
  while (true) {
    const c = input[i];
    if (c === undefined || c === '\n') throw new ParseError({ start, end: i }, 'unterminated quoted string', input);
    if (c === q) break;
    if (c !== '\\') {
      const cp = input.codePointAt(i) as number;
      const ch = String.fromCodePoint(cp);
      pushStr(ch);
      i += ch.length;
      continue;
    }
    const e = input[i + 1];
    if (e === undefined || e === '\n') throw new ParseError({ start, end: i }, 'escape sequence not terminated', input);
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined && (e !== "'" || q === "'") && (e !== '"' || q === '"')) {
      pushStr(simple);
      i += 2;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = input.slice(i + 2, i + 2 + len);
      const badAt = [...hex].findIndex((h) => !/[0-9a-fA-F]/.test(h));
      if (badAt >= 0 || hex.length < len) {
        const ch = hex[badAt] ?? '';
        throw new ParseError({ start: i, end: i + 2 }, ch ? `illegal character ${unicodeName(ch)} in escape sequence` : 'escape sequence not terminated', input);
      }
      const n = parseInt(hex, 16);
      if (e === 'x') bytes.push(n);
      else pushStr(String.fromCodePoint(n));
      i += 2 + len;
    } else if (/[0-7]/.test(e)) {
      const oct = input.slice(i + 1, i + 4);
      const badAt = [...oct].findIndex((h) => !/[0-7]/.test(h));
      if (badAt >= 0 || oct.length < 3) {
        const ch = oct[badAt] ?? '';
        throw new ParseError({ start: i, end: i + 2 }, ch ? `illegal character ${unicodeName(ch)} in escape sequence` : 'escape sequence not terminated', input);
      }
      bytes.push(parseInt(oct, 8));
      i += 4;
    } else {
      throw new ParseError({ start: i, end: i + 2 }, `unknown escape sequence ${unicodeName(e)}`, input);
    }
  }
  // Raw bytes (\xNN) may form invalid UTF-8; keep them as Latin-1 chars then so a later
  // validity check can reject them instead of silently substituting U+FFFD.
  const arr = new Uint8Array(bytes);
  let value: string;
  try {
    value = new TextDecoder('utf-8', { fatal: true }).decode(arr);
  } catch {
    value = INVALID_UTF8_PREFIX + latin1(arr);
  }
  return { value, end: i + 1 };
}

/** Go's %q for a rune: `'x'`. */
export function goRune(c: string): string {
  return c === "'" ? "'\\''" : `'${c}'`;
}

/** Go's %#U-like rendering used in escape errors: `U+0063 'c'`. */
function unicodeName(c: string): string {
  return `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')} ${goRune(c)}`;
}

/** Marks a decoded string that held invalid UTF-8; label names/values with it are rejected. */
export const INVALID_UTF8_PREFIX = '\u0000\uFFFF';

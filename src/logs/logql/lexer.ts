import { LogQLParseError } from './errors.js';

export type TokenKind =
  | '{' | '}' | '(' | ')' | '[' | ']' | ','
  | '=' | '!=' | '=~' | '!~' | '|=' | '|~' | '|' | '==' | '>' | '>=' | '<' | '<='
  | '+' | '-' | '*' | '/'
  | 'STRING' | 'NUMBER' | 'DURATION' | 'BYTES' | 'IDENTIFIER' | 'EOF';

export interface Token {
  kind: TokenKind;
  /** Source text; for STRING the unescaped value. */
  text: string;
  line: number;
  col: number;
}

const DURATION_SUFFIX = /^(?:(?:\d+(?:\.\d+)?)(?:ns|us|µs|ms|s|m|h|d|w|y))+$/;
const BYTES_SUFFIX = /^\d+(?:\.\d+)?(?:b|kib|kb|mib|mb|gib|gb|tib|tb|pib|pb|eib|eb|ki|k|mi|m|gi|g|ti|t)$/i;
const OPS: readonly TokenKind[] = ['|=', '|~', '!=', '!~', '=~', '==', '>=', '<=', '{', '}', '(', ')', '[', ']', ',', '=', '|', '>', '<', '+', '-', '*', '/'];

/** How tokens are named in error messages (Loki's yacc names). */
export function describe(t: Token): string {
  switch (t.kind) {
    case 'EOF': return '$end';
    case 'STRING': case 'NUMBER': case 'DURATION': case 'BYTES': case 'IDENTIFIER': return t.kind;
    default: return t.kind;
  }
}

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const err = (at: number, msg: string): never => {
    throw new LogQLParseError(line, at - lineStart + 1, msg);
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\n') {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    const col = i - lineStart + 1;
    if (c === '"' || c === '`') {
      const start = i++;
      let v = '';
      for (;;) {
        if (i >= src.length) err(start, 'literal not terminated');
        const d = src[i]!;
        if (d === c) {
          i++;
          break;
        }
        if (c === '"' && d === '\\') {
          const e = src[i + 1];
          const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", a: '\x07', b: '\b', f: '\f', v: '\v' };
          if (e !== undefined && map[e] !== undefined) {
            v += map[e];
            i += 2;
            continue;
          }
          if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(i + 2, i + 6))) {
            v += String.fromCharCode(parseInt(src.slice(i + 2, i + 6), 16));
            i += 6;
            continue;
          }
          err(i, `invalid escape sequence \\${e ?? ''} in string`);
        }
        if (c === '"' && d === '\n') err(start, 'literal not terminated');
        if (d === '\n') {
          line++;
          lineStart = i + 1;
        }
        v += d;
        i++;
      }
      out.push({ kind: 'STRING', text: v, line, col });
      continue;
    }
    if (/[0-9]/.test(c)) {
      const m = /^[0-9][0-9a-zA-Zµ.]*/.exec(src.slice(i))!;
      const text = m[0];
      let kind: TokenKind;
      if (/^\d+(?:\.\d+)?(?:e[+-]?\d+)?$/i.test(text)) kind = 'NUMBER';
      else if (DURATION_SUFFIX.test(text)) kind = 'DURATION';
      else if (BYTES_SUFFIX.test(text)) kind = 'BYTES';
      else if (/^0x[0-9a-f]+$/i.test(text)) kind = 'NUMBER';
      else err(i, `syntax error: unexpected character sequence ${JSON.stringify(text)}`);
      out.push({ kind: kind!, text, line, col });
      i += text.length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      out.push({ kind: 'IDENTIFIER', text: m[0], line, col });
      i += m[0].length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) err(i, `syntax error: unexpected character ${JSON.stringify(c)}`);
    out.push({ kind: op!, text: op!, line, col });
    i += op!.length;
  }
  out.push({ kind: 'EOF', text: '', line, col: i - lineStart + 1 });
  return out;
}

/**
 * Tokens of Go's text/template: text between actions, and inside `{{ }}` identifiers, fields,
 * variables, literals and punctuation. Trim markers (`{{- ` and ` -}}`) are applied here;
 * comments (`{{/* … *\/}}`) vanish. Positions are offsets into the source text.
 */
export type TokenType =
  | 'text'
  | 'leftDelim'
  | 'rightDelim'
  | 'space'
  | 'identifier'
  | 'keyword'
  | 'field'
  | 'variable'
  | 'dot'
  | 'string'
  | 'rawString'
  | 'char'
  | 'number'
  | 'bool'
  | 'nil'
  | 'pipe'
  | 'leftParen'
  | 'rightParen'
  | 'declare'
  | 'assign'
  | 'comma'
  | 'eof';

export interface Token {
  readonly type: TokenType;
  readonly pos: number;
  readonly val: string;
}

export const KEYWORDS = new Set(['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'range', 'template', 'with']);

export class LexError extends Error {
  constructor(
    readonly pos: number,
    message: string,
  ) {
    super(message);
  }
}

const SPACE = /[ \t\r\n]/;
const ALNUM = /[\p{L}\p{N}_]/u;

/** Splits `src` into tokens; throws LexError (unclosed action, bad character, unterminated quote). */
export function lex(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let trimNextText = false;
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    let textEnd = open < 0 ? src.length : open;
    const trimLeft = open >= 0 && src[open + 2] === '-' && SPACE.test(src[open + 3] ?? '');
    let text = src.slice(i, textEnd);
    if (trimNextText) text = text.replace(/^[ \t\r\n]+/, '');
    if (trimLeft) text = text.replace(/[ \t\r\n]+$/, '');
    if (text.length > 0) out.push({ type: 'text', pos: i, val: text });
    trimNextText = false;
    if (open < 0) break;
    textEnd = open;
    i = open + 2 + (trimLeft ? 2 : 0);
    // A comment must be the whole action.
    if (src.startsWith('/*', i)) {
      const close = src.indexOf('*/', i + 2);
      if (close < 0) throw new LexError(open, 'unclosed comment');
      let j = close + 2;
      let trimRight = false;
      if (src.startsWith(' -}}', j)) {
        trimRight = true;
        j += 4;
      } else if (src.startsWith('}}', j)) j += 2;
      else throw new LexError(open, 'comment ends before closing delimiter');
      trimNextText = trimRight;
      i = j;
      continue;
    }
    out.push({ type: 'leftDelim', pos: open, val: '{{' });
    const r = lexInside(src, i, out, open);
    i = r.end;
    trimNextText = r.trimRight;
  }
  out.push({ type: 'eof', pos: src.length, val: '' });
  return out;
}

function lexInside(src: string, start: number, out: Token[], open: number): { end: number; trimRight: boolean } {
  let i = start;
  let parenDepth = 0;
  for (;;) {
    if (i >= src.length) throw new LexError(open, 'unclosed action');
    if (src.startsWith(' -}}', i) || src.startsWith('\t-}}', i) || src.startsWith('\n-}}', i) || src.startsWith('\r-}}', i)) {
      if (parenDepth > 0) throw new LexError(i, 'unclosed left paren');
      out.push({ type: 'rightDelim', pos: i + 2, val: '}}' });
      return { end: i + 4, trimRight: true };
    }
    if (src.startsWith('}}', i)) {
      if (parenDepth > 0) throw new LexError(i, 'unclosed left paren');
      out.push({ type: 'rightDelim', pos: i, val: '}}' });
      return { end: i + 2, trimRight: false };
    }
    const c = src[i] as string;
    if (SPACE.test(c)) {
      const s = i;
      while (i < src.length && SPACE.test(src[i] as string) && !/^[ \t\r\n]-}}/.test(src.slice(i, i + 4))) i++;
      if (i === s) {
        // A lone space before `-}}`: handled at the top of the loop.
        continue;
      }
      out.push({ type: 'space', pos: s, val: src.slice(s, i) });
      continue;
    }
    if (c === '=') {
      out.push({ type: 'assign', pos: i, val: '=' });
      i++;
      continue;
    }
    if (c === ':') {
      if (src[i + 1] !== '=') throw new LexError(i, 'expected :=');
      out.push({ type: 'declare', pos: i, val: ':=' });
      i += 2;
      continue;
    }
    if (c === '|') {
      out.push({ type: 'pipe', pos: i, val: '|' });
      i++;
      continue;
    }
    if (c === ',') {
      out.push({ type: 'comma', pos: i, val: ',' });
      i++;
      continue;
    }
    if (c === '(') {
      parenDepth++;
      out.push({ type: 'leftParen', pos: i, val: '(' });
      i++;
      continue;
    }
    if (c === ')') {
      parenDepth--;
      if (parenDepth < 0) throw new LexError(i, 'unexpected right paren');
      out.push({ type: 'rightParen', pos: i, val: ')' });
      i++;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      for (;;) {
        const d = src[j];
        if (d === undefined || d === '\n') throw new LexError(i, 'unterminated quoted string');
        if (d === '\\') j += 2;
        else if (d === '"') break;
        else j++;
      }
      out.push({ type: 'string', pos: i, val: src.slice(i, j + 1) });
      i = j + 1;
      continue;
    }
    if (c === '`') {
      const j = src.indexOf('`', i + 1);
      if (j < 0) throw new LexError(i, 'unterminated raw quoted string');
      out.push({ type: 'rawString', pos: i, val: src.slice(i, j + 1) });
      i = j + 1;
      continue;
    }
    if (c === "'") {
      let j = i + 1;
      for (;;) {
        const d = src[j];
        if (d === undefined || d === '\n') throw new LexError(i, 'unterminated character constant');
        if (d === '\\') j += 2;
        else if (d === "'") break;
        else j++;
      }
      out.push({ type: 'char', pos: i, val: src.slice(i, j + 1) });
      i = j + 1;
      continue;
    }
    if (c === '$') {
      let j = i + 1;
      while (j < src.length && ALNUM.test(src[j] as string)) j++;
      out.push({ type: 'variable', pos: i, val: src.slice(i, j) });
      i = j;
      continue;
    }
    if (c === '.') {
      const n = src[i + 1] ?? '';
      if (/[0-9]/.test(n)) {
        i = lexNumber(src, i, out);
        continue;
      }
      let j = i + 1;
      while (j < src.length && ALNUM.test(src[j] as string)) j++;
      if (j === i + 1) out.push({ type: 'dot', pos: i, val: '.' });
      else out.push({ type: 'field', pos: i, val: src.slice(i, j) });
      i = j;
      continue;
    }
    if (/[0-9+-]/.test(c)) {
      i = lexNumber(src, i, out);
      continue;
    }
    if (ALNUM.test(c)) {
      let j = i;
      while (j < src.length && ALNUM.test(src[j] as string)) j++;
      const word = src.slice(i, j);
      const type: TokenType = KEYWORDS.has(word) ? 'keyword' : word === 'true' || word === 'false' ? 'bool' : word === 'nil' ? 'nil' : 'identifier';
      // `.Field` right after an identifier is a chain (e.g. `$x.y` is lexed as variable, then field).
      out.push({ type, pos: i, val: word });
      i = j;
      continue;
    }
    throw new LexError(i, `unrecognized character in action: ${JSON.stringify(c)}`);
  }
}

function lexNumber(src: string, i: number, out: Token[]): number {
  const m = /^[+-]?(?:0[xX][0-9a-fA-F_]*(?:\.[0-9a-fA-F_]*)?(?:[pP][+-]?[0-9_]+)?|0[bB][01_]+|0[oO][0-7_]+|(?:[0-9_]+\.?[0-9_]*|\.[0-9_]+)(?:[eE][+-]?[0-9_]+)?)i?/.exec(src.slice(i));
  if (!m || m[0] === '+' || m[0] === '-') throw new LexError(i, `bad number syntax: ${JSON.stringify(src.slice(i, i + 1))}`);
  const end = i + m[0].length;
  if (end < src.length && ALNUM.test(src[end] as string)) {
    let j = end;
    while (j < src.length && ALNUM.test(src[j] as string)) j++;
    throw new LexError(i, `bad number syntax: ${JSON.stringify(src.slice(i, j))}`);
  }
  out.push({ type: 'number', pos: i, val: m[0] });
  return end;
}

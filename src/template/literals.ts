import type { NumberNode } from './ast.js';
import type { Token } from './lexer.js';

/** Go's strconv.Unquote for "…", `…` and '…' literals. */
export function unquote(lit: string): string {
  if (lit.startsWith('`')) return lit.slice(1, -1).replace(/\r/g, '');
  const body = lit.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', '"': '"', "'": "'" };
    if (e !== undefined && simple[e] !== undefined) {
      if ((e === '"' && lit[0] === "'") || (e === "'" && lit[0] === '"')) throw new Error('invalid syntax');
      out += simple[e];
      continue;
    }
    const hex = (n: number): number => {
      const h = body.slice(i + 1, i + 1 + n);
      if (h.length !== n || !/^[0-9a-fA-F]+$/.test(h)) throw new Error('invalid syntax');
      i += n;
      return parseInt(h, 16);
    };
    if (e === 'x') out += String.fromCharCode(hex(2));
    else if (e === 'u') out += String.fromCodePoint(hex(4));
    else if (e === 'U') out += String.fromCodePoint(hex(8));
    else if (e !== undefined && /[0-7]/.test(e)) {
      const o = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(o)) throw new Error('invalid syntax');
      out += String.fromCharCode(parseInt(o, 8));
      i += 2;
    } else throw new Error('invalid syntax');
  }
  return out;
}

/** A number or character constant, typed as Go's parser types it; a string is the error. */
export function numberNode(t: Token): NumberNode | string {
  const end = t.pos + t.val.length;
  if (t.type === 'char') {
    let s: string;
    try {
      s = unquote(t.val);
    } catch {
      return `malformed character constant: ${t.val}`;
    }
    const cp = s.codePointAt(0);
    if (cp === undefined || [...s].length !== 1) return `malformed character constant: ${t.val}`;
    return { type: 'number', pos: t.pos, end, text: t.val, value: cp, isInt: true };
  }
  const text = t.val.replace(/_/g, '');
  if (text.endsWith('i')) return `complex numbers are not supported: ${t.val}`;
  const body = text.replace(/^[+-]/, '');
  const neg = text.startsWith('-');
  let value: number;
  let looksFloat = false;
  if (/^0[xX]/.test(body) && /[.pP]/.test(body)) {
    looksFloat = true;
    value = Number.NaN;
    const m = /^0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/.exec(body);
    if (m) {
      let v = 0;
      for (const c of (m[1] ?? '') + (m[2] ?? '')) v = v * 16 + parseInt(c, 16);
      value = v * 2 ** (Number(m[3]) - 4 * (m[2] ?? '').length);
    }
  } else if (/^0[xX][0-9a-fA-F]+$/.test(body)) value = parseInt(body.slice(2), 16);
  else if (/^0[bB][01]+$/.test(body)) value = parseInt(body.slice(2), 2);
  else if (/^0[oO]?[0-7]+$/.test(body)) value = parseInt(body.replace(/^0[oO]?/, ''), 8);
  else if (/^\d+$/.test(body)) value = Number(body);
  else {
    looksFloat = true;
    value = Number(body);
  }
  if (!Number.isFinite(value)) return `illegal number syntax: ${JSON.stringify(t.val)}`;
  if (!looksFloat && !Number.isSafeInteger(value)) return `integer overflow: ${JSON.stringify(t.val)}`;
  return { type: 'number', pos: t.pos, end, text: t.val, value: neg ? -value : value, isInt: !looksFloat };
}

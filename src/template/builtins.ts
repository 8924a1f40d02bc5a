import { goSprint, goSprintf, goSprintln } from './go-fmt.js';
import type { TemplateFunc } from './funcs.js';
import { GoHTML, GoMap, GoSlice, Int, basicKind, isTrue, primitive, sprintV, typeName, type GoValue } from './values.js';

/**
 * text/template's predefined functions other than and/or/call (which the executor runs because
 * they take lazy arguments): comparison, len, index, slice, not, print*, html, js, urlquery.
 */
function cmpError(kind: 'type' | 'types'): Error {
  return new Error(kind === 'types' ? 'incompatible types for comparison' : 'invalid type for comparison');
}

function eqOne(a: GoValue, b: GoValue): boolean {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (ka !== kb) {
    if (a !== null && b !== null) throw cmpError('types');
    return false;
  }
  if (ka !== undefined) return primitive(a) === primitive(b);
  if (a === null || b === null) return a === b;
  throw new Error(`non-comparable type ${sprintV(a)}: ${typeName(a)}`);
}

function order(a: GoValue, b: GoValue): number {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (ka === undefined || kb === undefined || ka === 'bool' || kb === 'bool') throw cmpError('type');
  if (ka !== kb) throw cmpError('types');
  const x = primitive(a) as number | string;
  const y = primitive(b) as number | string;
  return x < y ? -1 : x > y ? 1 : 0;
}

function indexOf(item: GoValue, idx: GoValue, cap: number): number {
  if (!(idx instanceof Int)) throw new Error(`cannot index slice/array with type ${typeName(idx)}`);
  if (idx.v < 0 || idx.v >= cap) throw new Error(`index out of range: ${idx.v}`);
  void item;
  return idx.v;
}

function htmlEscape(s: string): string {
  return s.replace(/[&'<>"\0]/g, (c) => ({ '&': '&amp;', "'": '&#39;', '<': '&lt;', '>': '&gt;', '"': '&#34;', '\0': '\uFFFD' })[c] as string);
}

function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (ch === '"') out += '\\"';
    else if (ch === '<') out += '\\u003C';
    else if (ch === '>') out += '\\u003E';
    else if (ch === '&') out += '\\u0026';
    else if (ch === '=') out += '\\u003D';
    else if (c < 0x20) out += `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
    else out += ch;
  }
  return out;
}

/** Go's url.QueryEscape. */
export function queryEscape(s: string): string {
  return [...Buffer.from(s, 'utf8')]
    .map((b) => {
      const c = String.fromCharCode(b);
      if (/[A-Za-z0-9\-_.~]/.test(c)) return c;
      if (c === ' ') return '+';
      return `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

function evalArgsString(args: readonly GoValue[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return goSprint(args);
}

export const BUILTINS: ReadonlyMap<string, TemplateFunc> = new Map<string, TemplateFunc>([
  ['not', { params: ['any'], fn: ([a]) => !isTrue(a ?? null) }],
  [
    'eq',
    {
      params: ['any'],
      variadic: 'any',
      fn: ([a, ...rest]) => {
        if (rest.length === 0) throw new Error('missing argument for comparison');
        return rest.some((b) => eqOne(a ?? null, b));
      },
    },
  ],
  ['ne', { params: ['any', 'any'], fn: ([a, b]) => !eqOne(a ?? null, b ?? null) }],
  ['lt', { params: ['any', 'any'], fn: ([a, b]) => order(a ?? null, b ?? null) < 0 }],
  ['le', { params: ['any', 'any'], fn: ([a, b]) => order(a ?? null, b ?? null) <= 0 }],
  ['gt', { params: ['any', 'any'], fn: ([a, b]) => order(a ?? null, b ?? null) > 0 }],
  ['ge', { params: ['any', 'any'], fn: ([a, b]) => order(a ?? null, b ?? null) >= 0 }],
  [
    'len',
    {
      params: ['any'],
      fn: ([a]) => {
        if (typeof a === 'string') return new Int(Buffer.byteLength(a, 'utf8'));
        if (a instanceof GoHTML) return new Int(Buffer.byteLength(a.s, 'utf8'));
        if (a instanceof GoMap) return new Int(a.entries.size);
        if (a instanceof GoSlice) return new Int(a.items.length);
        throw new Error(`len of type ${typeName(a ?? null)}`);
      },
    },
  ],
  [
    'index',
    {
      params: ['any'],
      variadic: 'any',
      fn: ([item, ...idx]) => {
        let v: GoValue = item ?? null;
        for (const i of idx) {
          if (v instanceof GoMap) {
            if (typeof i !== 'string') throw new Error(`value has type ${typeName(i)}; should be string`);
            v = v.entries.get(i) ?? v.zero;
          } else if (v instanceof GoSlice) v = v.items[indexOf(v, i, v.items.length)] ?? null;
          else if (typeof v === 'string') v = new Int(Buffer.from(v, 'utf8')[indexOf(v, i, Buffer.byteLength(v))] ?? 0);
          else if (v === null) throw new Error('index of untyped nil');
          else throw new Error(`can't index item of type ${typeName(v)}`);
        }
        return v;
      },
    },
  ],
  [
    'slice',
    {
      params: ['any'],
      variadic: 'any',
      fn: ([item, ...idx]) => {
        const ints = idx.map((i) => {
          if (!(i instanceof Int)) throw new Error(`cannot index slice/array with type ${typeName(i)}`);
          return i.v;
        });
        if (ints.length > 3) throw new Error(`too many slice indexes: ${ints.length}`);
        const bound = (n: number, len: number) => {
          if (n < 0 || n > len) throw new Error(`index out of range: ${n}`);
          return n;
        };
        if (typeof item === 'string') {
          if (ints.length === 3) throw new Error('cannot 3-index slice a string');
          const b = Buffer.from(item, 'utf8');
          const lo = bound(ints[0] ?? 0, b.length);
          const hi = bound(ints[1] ?? b.length, b.length);
          if (hi < lo) throw new Error(`invalid slice index: ${lo} > ${hi}`);
          return b.subarray(lo, hi).toString('utf8');
        }
        if (item instanceof GoSlice) {
          const lo = bound(ints[0] ?? 0, item.items.length);
          const hi = bound(ints[1] ?? item.items.length, item.items.length);
          if (hi < lo) throw new Error(`invalid slice index: ${lo} > ${hi}`);
          return new GoSlice(item.items.slice(lo, hi), item.typeName);
        }
        throw new Error(`can't slice item of type ${typeName(item ?? null)}`);
      },
    },
  ],
  ['print', { params: [], variadic: 'any', fn: (args) => goSprint(args) }],
  ['println', { params: [], variadic: 'any', fn: (args) => goSprintln(args) }],
  ['printf', { params: ['string'], variadic: 'any', fn: ([f, ...args]) => goSprintf(f as string, args) }],
  ['html', { params: [], variadic: 'any', fn: (args) => htmlEscape(evalArgsString(args)) }],
  ['js', { params: [], variadic: 'any', fn: (args) => jsEscape(evalArgsString(args)) }],
  ['urlquery', { params: [], variadic: 'any', fn: (args) => queryEscape(evalArgsString(args)) }],
]);

import { WILDCARD } from './masking.js';
import { RULES } from './rules.js';

/**
 * Token-level template arithmetic. A template token is a literal, `<*>`, or a literal with
 * `<*>` inside (`user=<*>`, `(<*>)`, `MININT-<*>`, `<*>[<*>]`): the constant parts of a
 * token are kept when two lines differ only in its values.
 */

/** Whether a template token covers a line token, `<*>` standing for any text (callers short-circuit equal tokens). */
export function tokenCovers(templateToken: string, token: string): boolean {
  const t = templateToken;
  if (t === WILDCARD) return true;
  const first = t.indexOf(WILDCARD);
  if (first < 0) return false;
  const last = t.lastIndexOf(WILDCARD);
  const suffixLength = t.length - last - WILDCARD.length;
  if (token.length < first + suffixLength) return false;
  for (let i = 0; i < first; i++) if (t.charCodeAt(i) !== token.charCodeAt(i)) return false;
  for (let i = 1; i <= suffixLength; i++) if (t.charCodeAt(t.length - i) !== token.charCodeAt(token.length - i)) return false;
  // The literal parts between wildcards, in order, in what lies between prefix and suffix.
  let from = first;
  const end = token.length - suffixLength;
  for (let at = first + WILDCARD.length; at < last; ) {
    const next = t.indexOf(WILDCARD, at);
    const part = t.slice(at, next);
    const found = token.indexOf(part, from);
    if (found < 0 || found + part.length > end) return false;
    from = found + part.length;
    at = next + WILDCARD.length;
  }
  return true;
}

/**
 * Generalises two different tokens into one template token: the common prefix up to and
 * including its last punctuation character, `<*>`, then the common end from a punctuation
 * character on, which may hold a value of its own.
 * `user=root` + `user=admin` → `user=<*>`; `'a'` + `'b'` → `'<*>'`; `yarn,curi` + `yarn` → `<*>`;
 * `launchd[<*>]` + `kernel[<*>]` → `<*>[<*>]`.
 */
export function generalizeToken(a: string, b: string): string {
  if (a === b) return a;
  if (a === WILDCARD || b === WILDCARD) return WILDCARD;
  const aw = a.indexOf(WILDCARD);
  if (aw >= 0 && tokenCovers(a, b)) return a;
  const bw = b.indexOf(WILDCARD);
  if (bw >= 0 && tokenCovers(b, a)) return b;
  const max = Math.min(a.length, b.length, aw < 0 ? a.length : aw, bw < 0 ? b.length : bw);
  let p = 0;
  while (p < max && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  // Cut the prefix back to just after its last punctuation character.
  while (p > 0 && isWordChar(a.charCodeAt(p - 1))) p--;
  let s = 0;
  const maxS = Math.min(a.length, b.length) - p;
  while (s < maxS && a.charCodeAt(a.length - 1 - s) === b.charCodeAt(b.length - 1 - s)) s++;
  const prefix = a.slice(0, p);
  if (prefix.includes(WILDCARD)) return WILDCARD;
  return prefix + WILDCARD + commonEnd(a.slice(a.length - s));
}

/**
 * What of two tokens' common end a generalised token keeps: from its first punctuation
 * character on if that part holds a value of its own (`[<*>]`, `(<*>)`), else only its
 * closing punctuation (never part of a `<*>`).
 */
function commonEnd(end: string): string {
  let start = 0;
  while (start < end.length && isWordChar(end.charCodeAt(start))) start++;
  const rest = end.slice(start);
  const w = rest.indexOf(WILDCARD);
  if (w > 0) return rest;
  const after = rest.lastIndexOf(WILDCARD);
  const from = after < 0 ? 0 : after + WILDCARD.length;
  let c = rest.length;
  while (c > from && isClosing(rest.charCodeAt(c - 1))) c--;
  return rest.slice(c);
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 46 || c > 127;
}

/** Punctuation that closes or ends a value: `)`, `]`, `}`, `'`, `"`, `,`, `;`, `:`, `.`, `>`. */
function isClosing(c: number): boolean {
  return c === 41 || c === 93 || c === 125 || c === 39 || c === 34 || c === 44 || c === 59 || c === 58 || c === 46 || c === 62;
}

/**
 * The shape of a word with digits and letters, digit runs replaced by `0` (`eth12` → `eth0`,
 * `u0a65535` → `u0a0`); undefined for other tokens. Words of one shape are one numbered name.
 */
export function digitShape(t: string): string | undefined {
  let digits = false;
  let letters = false;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c >= 48 && c <= 57) digits = true;
    else if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) letters = true;
    else if (c === 60 && t.startsWith(WILDCARD, i)) return undefined;
  }
  return digits && letters ? t.replace(DIGIT_RUNS, '0') : undefined;
}

const DIGIT_RUNS = /\d+/g;

/**
 * The key of a `key=value` token: its text up to and including the first `=` after its first
 * character (`user=`, `--flag=`), or undefined when it has none, nothing follows it, or a
 * `<*>` comes first. Tokens with the same key are one key with a variable value. (Only `=`:
 * what follows a `:` or a bracket is as often a constant, e.g. `action:SCREEN_ON`.)
 */
export function keyOf(t: string): string | undefined {
  for (let i = 1; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c === 60 && t.startsWith(WILDCARD, i)) return undefined;
    if (c === 61) return i + 1 < t.length ? t.slice(0, i + 1) : undefined;
  }
  return undefined;
}

/** Two different literal tokens that the rule set counts as one variable (a numbered name, or a key with two values). */
export function sameVariable(t: string, s: string, rules: number): boolean {
  if (rules & RULES.keyValues) {
    const k = keyOf(t);
    if (k !== undefined && s.length > k.length && s.startsWith(k) && !s.includes(WILDCARD)) return true;
  }
  if (rules & RULES.numberedNames) {
    const shape = digitShape(t);
    if (shape !== undefined && shape === digitShape(s)) return true;
  }
  return false;
}

/**
 * Similarity of a line to a template of the same length, Drain-style: the share of positions
 * where they agree. A template `<*>` against a concrete token does not count as agreement
 * (so over-general templates do not swallow everything), a partly-constant token that covers
 * the line token does, so does a word `known` at that position (a splitting word), and so do
 * two words that are one variable (`sameVariable`).
 */
export function similarity(
  template: readonly string[],
  tokens: readonly string[],
  known?: (position: number, token: string) => boolean,
  rules = 0,
): number {
  let same = 0;
  const n = tokens.length;
  for (let i = 0; i < n; i++) {
    const t = template[i] as string;
    const s = tokens[i] as string;
    if (t === s) same++;
    else if (t !== WILDCARD && t.length > 3 && tokenCovers(t, s)) same++;
    else if (known && known(i, s)) same++;
    else if (rules !== 0 && t !== WILDCARD && sameVariable(t, s, rules)) same++;
  }
  return n === 0 ? 1 : same / n;
}

/** Updates template in place with a line; returns whether it changed. */
export function mergeInto(template: string[], tokens: readonly string[]): boolean {
  let changed = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = template[i] as string;
    const s = tokens[i] as string;
    if (t === s) continue;
    const g = generalizeToken(t, s);
    if (g !== t) {
      template[i] = g;
      changed = true;
    }
  }
  return changed;
}

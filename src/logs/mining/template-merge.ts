import { WILDCARD } from './masking.js';

/**
 * Token-level template arithmetic. A template token is a literal, `<*>`, or a literal with
 * one `<*>` inside (`user=<*>`, `(<*>)`, `MININT-<*>`): the constant parts of a token are
 * kept when two lines differ only in its value.
 */

/** Whether a template token covers a line token (for tokens already equal, callers short-circuit). */
export function tokenCovers(templateToken: string, token: string): boolean {
  if (templateToken === WILDCARD) return true;
  const at = templateToken.indexOf(WILDCARD);
  if (at < 0) return false;
  const prefix = templateToken.slice(0, at);
  const suffix = templateToken.slice(at + WILDCARD.length);
  return (
    token.length >= prefix.length + suffix.length &&
    token.startsWith(prefix) &&
    token.endsWith(suffix) &&
    (suffix.indexOf(WILDCARD) < 0 || token === templateToken)
  );
}

/**
 * Generalises two different tokens into one template token: the common prefix up to and
 * including its last punctuation character, `<*>`, then the common trailing punctuation.
 * `user=root` + `user=admin` → `user=<*>`; `'a'` + `'b'` → `'<*>'`; `yarn,curi` + `yarn` → `<*>`.
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
  // The suffix never reaches into an existing wildcard.
  const maxS = Math.min(
    Math.min(a.length, b.length) - p,
    aw < 0 ? a.length : a.length - aw - WILDCARD.length,
    bw < 0 ? b.length : b.length - bw - WILDCARD.length,
  );
  while (
    s < maxS &&
    a.charCodeAt(a.length - 1 - s) === b.charCodeAt(b.length - 1 - s) &&
    isClosing(a.charCodeAt(a.length - 1 - s))
  ) {
    s++;
  }
  const prefix = a.slice(0, p);
  const suffix = a.slice(a.length - s);
  if (prefix.includes(WILDCARD) || suffix.includes(WILDCARD)) return WILDCARD;
  return prefix + WILDCARD + suffix;
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 46 || c > 127;
}

/** Punctuation that closes or ends a value: `)`, `]`, `}`, `'`, `"`, `,`, `;`, `:`, `.`, `>`. */
function isClosing(c: number): boolean {
  return c === 41 || c === 93 || c === 125 || c === 39 || c === 34 || c === 44 || c === 59 || c === 58 || c === 46 || c === 62;
}

/**
 * Similarity of a line to a template of the same length, Drain-style: the share of positions
 * where they agree. A template `<*>` against a concrete token does not count as agreement
 * (so over-general templates do not swallow everything), a partly-constant token that covers
 * the line token does, and so does a word `known` at that position (a splitting word).
 */
export function similarity(
  template: readonly string[],
  tokens: readonly string[],
  known?: (position: number, token: string) => boolean,
): number {
  let same = 0;
  const n = tokens.length;
  for (let i = 0; i < n; i++) {
    const t = template[i] as string;
    const s = tokens[i] as string;
    if (t === s) same++;
    else if (t !== WILDCARD && t.length > 3 && tokenCovers(t, s)) same++;
    else if (known && known(i, s)) same++;
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

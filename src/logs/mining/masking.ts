import { ALL_RULES, RULES } from './rules.js';

/**
 * Default masking of obviously-variable parts of a token, designed to generalise across
 * systems without per-source settings. The miner runs this for every token of every line, so
 * it is a character scanner; the few regexes run only on rare tokens (host:port, booleans,
 * URLs), and the miner caches results for tokens that repeat.
 *
 * Conventions follow the corrected Loghub ground truth: a variable becomes one `<*>`,
 * punctuation around it stays (`(<*>)`, `[<*>]`, `key=<*>`, `<*>.`), an IPv4 address with
 * its port and leading `/` is one `<*>`, and a path is one `<*>`.
 */
export const WILDCARD = '<*>';


const enum C {
  Slash = 47,
  Dot = 46,
  Dash = 45,
  Plus = 43,
  Underscore = 95,
  Colon = 58,
  D0 = 48,
  D9 = 57,
  X = 120,
}

function isDigit(c: number): boolean {
  return c >= C.D0 && c <= C.D9;
}

function isHexLetter(c: number): boolean {
  return (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

function isAlnum(c: number): boolean {
  return isDigit(c) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

/**
 * Characters that separate the pieces of a token (`key=value`, `host:port`, `f(x)`); a
 * variable piece is replaced on its own and the separators stay. `.`, `-` and `_` are not
 * separators: they hold identifiers, numbers and host names together.
 */
function isSeparator(c: number): boolean {
  switch (c) {
    case 32: // space, inside a quoted string joined into one token
    case 58: // :
    case 61: // =
    case 44: // ,
    case 40: // (
    case 41: // )
    case 91: // [
    case 93: // ]
    case 123: // {
    case 125: // }
    case 60: // <
    case 62: // >
    case 47: // /
    case 64: // @
    case 35: // #
    case 124: // |
    case 34: // "
    case 39: // '
    case 59: // ;
    case 33: // !
    case 63: // ?
    case 42: // *
    case 38: // &
    case 36: // $
      return true;
    default:
      return false;
  }
}

/** True when the token needs the full scanner: it holds a digit, may be a path, or may hold a boolean. */
function needsMasking(tok: string): boolean {
  let slashes = 0;
  let p1 = 0;
  let p2 = 0;
  let boolEnd = false;
  for (let i = 0; i < tok.length; i++) {
    const c = tok.charCodeAt(i);
    if (c <= C.D9 && c >= C.D0) return true;
    if (c === C.Slash || c === 92) slashes++;
    else if (endsBoolean(c, p1, p2)) boolEnd = true;
    p2 = p1;
    p1 = c;
  }
  return slashes >= 2 || (boolEnd && /true|false/i.test(tok));
}

/** c, after p1 after p2, ends "rue" or "lse" (any case): the rare tokens that get a closer look for true/false. */
function endsBoolean(c: number, p1: number, p2: number): boolean {
  return (c | 32) === 101 && (((p1 | 32) === 117 && (p2 | 32) === 114) || ((p1 | 32) === 115 && (p2 | 32) === 108));
}

/** Masks the variable parts of one whitespace-free token, with every rule on. */
export function maskToken(tok: string): string {
  return maskTokenWith(tok, ALL_RULES);
}

/** Masks the variable parts of one token with the rules of `rules` (a RULES bit set). */
export function maskTokenWith(tok: string, rules: number): string {
  if (tok === WILDCARD || !needsMasking(tok)) return tok;
  let out = '';
  let i = 0;
  const n = tok.length;
  const scheme = rules & RULES.urls ? tok.indexOf('://') : -1;
  if (scheme > 0 && /\d/.test(tok)) {
    // scheme://host:port/path with a number in it is one value; `http://wiki/Page` stays.
    let s0 = scheme;
    while (s0 > 0 && isAlnum(tok.charCodeAt(s0 - 1))) s0--;
    if (s0 < scheme) {
      const end = trimClosing(tok, s0, n, true);
      return tok.slice(0, s0) + WILDCARD + tok.slice(end);
    }
  }
  if (rules & RULES.hex) {
    const groups = hexGroups(tok);
    if (groups !== undefined) return groups;
  }
  const paths = (rules & RULES.paths) !== 0;
  const win = paths ? windowsPathStart(tok) : -1;
  if (win >= 0) return tok.slice(0, win) + WILDCARD + tok.slice(trimClosing(tok, win, n, false));
  while (i < n) {
    const c = tok.charCodeAt(i);
    if (paths && c === C.Slash && scheme < 0 && isPathStart(tok, i)) {
      const end = trimClosing(tok, i, n, false);
      out = appendWildcard(out);
      out += tok.slice(end);
      return out;
    }
    if (isSeparator(c)) {
      out += tok[i];
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n && !isSeparator(tok.charCodeAt(j))) j++;
    out += maskPiece(tok, i, j, rules);
    i = j;
  }
  return collapse(out, rules);
}

/**
 * A MAC or IPv6 address (or any run of 3+ hex groups joined by `:`, with a digit): `<*>`,
 * punctuation around it kept; undefined for other tokens.
 */
function hexGroups(tok: string): string | undefined {
  const m = HEX_GROUPS.exec(tok);
  return m && /\d/.test(m[2] as string) ? (m[1] as string) + WILDCARD + (m[3] as string) : undefined;
}

const HEX_GROUPS = /^([([{<'"]?)((?:[0-9A-Fa-f]{0,4}:){2,}[0-9A-Fa-f]{1,4})([)\]}>'",;.]*)$/;

/** Where a Windows path (`C:\\dir\\file`, `\\\\host\\share`) starts in the token, or -1. */
function windowsPathStart(tok: string): number {
  const drive = tok.indexOf(':\\');
  if (drive > 0 && isAlnum(tok.charCodeAt(drive - 1)) && (drive === 1 || !isAlnum(tok.charCodeAt(drive - 2)))) return drive - 1;
  const unc = tok.indexOf('\\\\');
  return unc >= 0 && unc + 2 < tok.length && isAlnum(tok.charCodeAt(unc + 2)) ? unc : -1;
}

/** A path: `/` followed (before any whitespace) by another `/`, e.g. `/var/log/x`, not `/10.0.0.1:80`. */
function isPathStart(tok: string, i: number): boolean {
  const prev = i > 0 ? tok.charCodeAt(i - 1) : 0;
  if (prev !== 0 && isAlnum(prev)) return false;
  const next = tok.indexOf('/', i + 1);
  return next > i + 1 && isAlnum(tok.charCodeAt(i + 1));
}

/** End of a variable that runs to the end of the token, leaving closing punctuation outside. */
function trimClosing(tok: string, start: number, end: number, dot: boolean): number {
  let e = end;
  while (e > start + 1) {
    const c = tok.charCodeAt(e - 1);
    if (c === 41 || c === 93 || c === 125 || c === 39 || c === 34 || c === 44 || (dot && c === 46) || c === 59 || c === 58) e--;
    else break;
  }
  return e;
}

function appendWildcard(out: string): string {
  return out.endsWith(WILDCARD) ? out : out + WILDCARD;
}

/** Masks tok[i, j), a piece without separators (may contain `.`, `-`, `_`). */
function maskPiece(tok: string, i: number, j: number, rules: number): string {
  // A trailing dot ends a sentence ("on port 8080."), it is not part of the value.
  let end = j;
  while (end > i && tok.charCodeAt(end - 1) === C.Dot) end--;
  if (end === i) return tok.slice(i, j);
  let hasDigit = false;
  let allHex = true;
  for (let k = i; k < end; k++) {
    const c = tok.charCodeAt(k);
    if (isDigit(c)) hasDigit = true;
    else if (!isHexLetter(c)) allHex = false;
  }
  if (!hasDigit) return rules & RULES.booleans && isBoolean(tok, i, end) ? WILDCARD + tok.slice(end, j) : tok.slice(i, j);
  const suffix = tok.slice(end, j);
  const c0 = tok.charCodeAt(i);
  const c1 = end > i + 1 ? tok.charCodeAt(i + 1) : 0;
  // Numbers, versions, IPs, sizes (4G, 12ms), dates: anything that starts with a digit.
  if (isDigit(c0) || ((c0 === C.Dash || c0 === C.Plus) && isDigit(c1))) return WILDCARD + suffix;
  // 0x1f, long hex hashes and UUID-like runs starting with a letter.
  if (rules & RULES.hex) {
    if (c0 === C.D0 + 0 && (c1 === C.X || c1 === 88)) return WILDCARD + suffix;
    if (allHex && end - i >= 8) return WILDCARD + suffix;
  }
  if (rules & RULES.uuid && isUuidLike(tok, i, end)) return WILDCARD + suffix;
  // Identifiers with a numeric id: blk_123, attempt_1445_0020_m_000001_0, job_1445.
  if (rules & RULES.ids) for (let k = i + 1; k < end - 1; k++) {
    if (tok.charCodeAt(k) === C.Underscore) {
      const d = tok.charCodeAt(k + 1);
      if (isDigit(d) || (d === C.Dash && k + 2 < end && isDigit(tok.charCodeAt(k + 2)))) return WILDCARD + suffix;
    }
  }
  // name-1.2.3, ip-10-0-0-1.ec2.internal: keep the name, mask from the first numeric part on.
  if (rules & RULES.versions) for (let k = i + 1; k < end - 1; k++) {
    const c = tok.charCodeAt(k);
    if ((c === C.Dash || c === C.Dot) && isDigit(tok.charCodeAt(k + 1))) {
      return tok.slice(i, k + 1) + WILDCARD + suffix;
    }
  }
  // Letter-led words with a digit (ssh2, tty1, log4j, eth0) stay: the miner decides whether
  // that position varies.
  return tok.slice(i, j);
}

function isBoolean(tok: string, i: number, end: number): boolean {
  const w = tok.slice(i, end).toLowerCase();
  return w === 'true' || w === 'false';
}

function isUuidLike(tok: string, i: number, end: number): boolean {
  if (end - i !== 36) return false;
  for (let k = i; k < end; k++) {
    const c = tok.charCodeAt(k);
    const dash = k - i === 8 || k - i === 13 || k - i === 18 || k - i === 23;
    if (dash ? c !== C.Dash : !(isDigit(c) || isHexLetter(c))) return false;
  }
  return true;
}

/**
 * `<*>:<*>` (address and port) becomes one `<*>`, and a `/` that only introduces a variable
 * (`/<*>`, as in `/10.0.0.1:80`) goes into it.
 */
function collapse(s: string, rules: number): string {
  if (s.indexOf(WILDCARD) < 0) return s;
  let out = s;
  if (rules & RULES.hostPorts) {
    if (out.startsWith('/<*>')) out = out.slice(1);
    // host-12:8020, host-12/10.0.0.1:80: a numbered host name with its port or address is one
    // value, whether or not the name's number was masked (`versions` off leaves `host-12`).
    if (out.includes('-<*>')) out = out.replace(HOST_PORT, WILDCARD);
    if (out.includes(':<*>') || out.includes('/<*>')) out = out.replace(NUMBERED_HOST_PORT, WILDCARD);
    // host.example.com:8080 is one value.
    if (out.includes(':<*>')) {
      out = out.replace(DOTTED_HOST_PORT, WILDCARD);
      while (out.includes('<*>:<*>')) out = out.replaceAll('<*>:<*>', WILDCARD);
    }
  }
  while (out.includes('<*><*>')) out = out.replaceAll('<*><*>', WILDCARD);
  return out;
}

const DOTTED_HOST_PORT = /(?<![\w.-])[A-Za-z][\w-]*(?:\.[\w-]+)+:<\*>/g;
const HOST_PORT = /[A-Za-z][\w.-]*-<\*>[:/]<\*>(?::<\*>)?/g;
// A name with a digit in it (`node7`, `db-01`, `web-3a`), then `:port` or `/address:port` (Java's form).
const NUMBERED_HOST_PORT = /(?<![\w.<>-])[A-Za-z][A-Za-z-]*\d[\w-]*(?:\/<\*>)?:<\*>(?![\w<])/g;

/** Splits content on runs of whitespace (as the Loghub benchmark does). */
export function splitTokens(content: string): string[] {
  // V8's native regex split beats a hand-written scanner here by ~1.6x.
  const t = content.trim();
  return t === '' ? [] : t.split(WHITESPACE);
}

const WHITESPACE = /\s+/;

/**
 * splitTokens + maskToken in one pass over the characters (the miner's hot path): plain
 * words are sliced as they are, bare numbers become `<*>` without being sliced, and only
 * tokens with digits, slashes or a possible boolean go through `mask` (normally a cached
 * maskToken).
 */
export function tokenizeMasked(text: string, mask: (token: string) => string, rules: number = ALL_RULES): string[] {
  const out: string[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    let c = text.charCodeAt(i);
    if (c <= 32 && isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    let digits = 0;
    let other = 0; // non-digit, non-dot characters
    let slashes = 0;
    let quotes = 0;
    let boolEnd = false;
    let p1 = 0;
    let p2 = 0;
    for (; i < n; i++) {
      c = text.charCodeAt(i);
      if (c <= 32 && isSpace(c)) break;
      if (c >= C.D0 && c <= C.D9) digits++;
      else {
        if (c !== C.Dot) other++;
        if (c === C.Slash || c === 92) slashes++;
        else if (c === 34) quotes++;
        else if (endsBoolean(c, p1, p2)) boolEnd = true;
      }
      p2 = p1;
      p1 = c;
    }
    if (quotes & 1 && rules & RULES.quoted) {
      const end = quotedEnd(text, i);
      if (end > i) {
        i = end;
        out.push(mask(text.slice(start, i)));
        continue;
      }
    }
    if (digits > 0 && other === 0 && isDigit(text.charCodeAt(start)) && isDigit(p1)) out.push(WILDCARD);
    // Six or more digits: an id, a timestamp, a size: unique, not worth a cache slot.
    else if (digits >= 6) out.push(maskTokenWith(text.slice(start, i), rules));
    else if (digits > 0 || slashes >= 2 || boolEnd) out.push(mask(text.slice(start, i)));
    else out.push(text.slice(start, i));
  }
  return out;
}

/** Most words a quoted string may span and still be one token. */
const MAX_QUOTED_WORDS = 4;

/**
 * Where a double-quoted string opened in the token ending at `from` closes: the end of the
 * token holding the closing quote, if it comes within MAX_QUOTED_WORDS words; else -1.
 */
function quotedEnd(text: string, from: number): number {
  const q = text.indexOf('"', from);
  if (q < 0) return -1;
  let words = 1;
  for (let k = from; k < q; k++) {
    const c = text.charCodeAt(k);
    if (c <= 32 && isSpace(c) && !(text.charCodeAt(k + 1) <= 32 && isSpace(text.charCodeAt(k + 1)))) {
      if (++words > MAX_QUOTED_WORDS) return -1;
    }
  }
  let end = q + 1;
  while (end < text.length && !(text.charCodeAt(end) <= 32 && isSpace(text.charCodeAt(end)))) end++;
  return end;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;
}

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

/** Masks the variable parts of one whitespace-free token. */
export function maskToken(tok: string): string {
  if (tok === WILDCARD || !needsMasking(tok)) return tok;
  let out = '';
  let i = 0;
  const n = tok.length;
  const scheme = tok.indexOf('://');
  if (scheme > 0 && /\d/.test(tok)) {
    // scheme://host:port/path with a number in it is one value; `http://wiki/Page` stays.
    let s0 = scheme;
    while (s0 > 0 && isAlnum(tok.charCodeAt(s0 - 1))) s0--;
    if (s0 < scheme) {
      const end = trimClosing(tok, s0, n, true);
      return tok.slice(0, s0) + WILDCARD + tok.slice(end);
    }
  }
  const win = windowsPathStart(tok);
  if (win >= 0) return tok.slice(0, win) + WILDCARD + tok.slice(trimClosing(tok, win, n, false));
  while (i < n) {
    const c = tok.charCodeAt(i);
    if (c === C.Slash && scheme < 0 && isPathStart(tok, i)) {
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
    out += maskPiece(tok, i, j);
    i = j;
  }
  return collapse(out);
}

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
function maskPiece(tok: string, i: number, j: number): string {
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
  if (!hasDigit) return isBoolean(tok, i, end) ? WILDCARD + tok.slice(end, j) : tok.slice(i, j);
  const suffix = tok.slice(end, j);
  const c0 = tok.charCodeAt(i);
  const c1 = end > i + 1 ? tok.charCodeAt(i + 1) : 0;
  // Numbers, versions, IPs, sizes (4G, 12ms), dates: anything that starts with a digit.
  if (isDigit(c0) || ((c0 === C.Dash || c0 === C.Plus) && isDigit(c1))) return WILDCARD + suffix;
  // 0x1f, long hex hashes and UUID-like runs starting with a letter.
  if (c0 === C.D0 + 0 && (c1 === C.X || c1 === 88)) return WILDCARD + suffix;
  if (allHex && end - i >= 8) return WILDCARD + suffix;
  if (isUuidLike(tok, i, end)) return WILDCARD + suffix;
  // Identifiers with a numeric id: blk_123, attempt_1445_0020_m_000001_0, job_1445.
  for (let k = i + 1; k < end - 1; k++) {
    if (tok.charCodeAt(k) === C.Underscore) {
      const d = tok.charCodeAt(k + 1);
      if (isDigit(d) || (d === C.Dash && k + 2 < end && isDigit(tok.charCodeAt(k + 2)))) return WILDCARD + suffix;
    }
  }
  // name-1.2.3, ip-10-0-0-1.ec2.internal: keep the name, mask from the first numeric part on.
  for (let k = i + 1; k < end - 1; k++) {
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
function collapse(s: string): string {
  if (s.indexOf(WILDCARD) < 0) return s;
  let out = s;
  if (out.startsWith('/<*>')) out = out.slice(1);
  // host-12:8020, host-12/10.0.0.1:80: a numbered host name with its port or address is one value.
  if (out.includes('-<*>')) out = out.replace(HOST_PORT, WILDCARD);
  // host.example.com:8080 is one value.
  if (out.includes(':<*>')) {
    out = out.replace(DOTTED_HOST_PORT, WILDCARD);
    while (out.includes('<*>:<*>')) out = out.replaceAll('<*>:<*>', WILDCARD);
  }
  while (out.includes('<*><*>')) out = out.replaceAll('<*><*>', WILDCARD);
  // `<memory:1024>`-style values: the corrected ground truth writes `<memory:<*>`.
  return out.includes('<*>>') ? out.replaceAll('<*>>', WILDCARD) : out;
}

const DOTTED_HOST_PORT = /(?<![\w.-])[A-Za-z][\w-]*(?:\.[\w-]+)+:<\*>/g;
const HOST_PORT = /[A-Za-z][\w.-]*-<\*>[:/]<\*>(?::<\*>)?/g;

const SIZE_UNITS = new Set(['B', 'KB', 'MB', 'GB', 'TB', 'PB', 'KiB', 'MiB', 'GiB', 'TiB', 'kB']);

/**
 * A size written as number and unit (`16.0 KB`, `2 GB,`, `(1.16 KB)`) is one value: the unit token after a
 * masked number goes into its `<*>`, its trailing punctuation stays.
 */
export function collapseUnits(tokens: string[]): string[] {
  for (let i = 1; i < tokens.length; i++) {
    const before = tokens[i - 1] as string;
    if (before.charCodeAt(before.length - 1) !== 62 || !before.endsWith(WILDCARD)) continue;
    const t = tokens[i] as string;
    let e = t.length;
    while (e > 0 && isClosingPunct(t.charCodeAt(e - 1))) e--;
    if (e > 0 && SIZE_UNITS.has(t.slice(0, e))) {
      tokens[i - 1] = before + t.slice(e);
      tokens.splice(i, 1);
    }
  }
  return tokens;
}

function isClosingPunct(c: number): boolean {
  return c === 44 || c === 46 || c === 59 || c === 41 || c === 93 || c === 58;
}

/** Splits content on runs of whitespace (as the Loghub benchmark does). */
export function splitTokens(content: string): string[] {
  // V8's native regex split beats a hand-written scanner here by ~1.6x.
  const t = content.trim();
  return t === '' ? [] : t.split(WHITESPACE);
}

const WHITESPACE = /\s+/;

const DAYS = new Set(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);
const MONTHS = new Set(['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']);

/**
 * A written-out date inside a message (`Sun Jul 24 02:40:50 2005`, `Jul 24 02:40:50`) is one
 * value: a month name, optionally after a weekday name, followed by at least two masked
 * numbers becomes a single `<*>`. Works on already-masked tokens, in place.
 */
export function collapseDates(tokens: string[]): string[] {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as string;
    if (!(t.length === 3 && (MONTHS.has(t) || DAYS.has(t)))) continue;
    let j = i + 1;
    if (DAYS.has(t)) {
      if (!MONTHS.has(tokens[j] ?? '')) continue;
      j++;
    }
    const numbersFrom = j;
    while (j < tokens.length && tokens[j] === WILDCARD) j++;
    if (j - numbersFrom >= 2) tokens.splice(i, j - i, WILDCARD);
  }
  return tokens;
}

/**
 * splitTokens + maskToken in one pass over the characters (the miner's hot path): plain
 * words are sliced as they are, bare numbers become `<*>` without being sliced, and only
 * tokens with digits, slashes or a possible boolean go through `mask` (normally a cached
 * maskToken).
 */
export function tokenizeMasked(text: string, mask: (token: string) => string): string[] {
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
        else if (endsBoolean(c, p1, p2)) boolEnd = true;
      }
      p2 = p1;
      p1 = c;
    }
    if (digits > 0 && other === 0 && isDigit(text.charCodeAt(start)) && isDigit(p1)) out.push(WILDCARD);
    // Six or more digits: an id, a timestamp, a size: unique, not worth a cache slot.
    else if (digits >= 6) out.push(maskToken(text.slice(start, i)));
    else if (digits > 0 || slashes >= 2 || boolEnd) out.push(mask(text.slice(start, i)));
    else out.push(text.slice(start, i));
  }
  return out;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;
}

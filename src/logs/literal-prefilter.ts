import { minOf } from '../model/arrays.js';

/**
 * Literal prefilters for RE2 regexes. RE2 (re2js) is linear but slow in JS; most log lines
 * cannot match a given rule, and most rules name a word any match must contain. From the
 * regex source we derive a set of literals such that every match contains at least one of
 * them; a line containing none of them is rejected without running RE2.
 *
 * The analysis is deliberately conservative: anything it does not fully understand (flag
 * groups, \Q…\E, escapes with parameters, POSIX classes, unbalanced syntax) yields no
 * prefilter, and then the regex simply always runs.
 */

/** Shortest literal worth testing for; shorter ones reject too few lines to pay for themselves. */
const MIN_LITERAL = 3;

// Escapes that stand for a class or an assertion and take no parameters.
const CLASS_ESCAPES = new Set(['d', 'D', 'w', 'W', 's', 'S', 'b', 'B', 'A', 'z']);

class Unsupported extends Error {}

/** Any-of literal set; undefined = nothing usable is required. */
type Need = string[] | undefined;

/** min length of the literals, the strength of a requirement (longer = rarer). */
function strength(n: Need): number {
  return n === undefined ? 0 : minOf(n.map((s) => s.length));
}

class Scanner {
  i = 0;
  constructor(readonly src: string) {}

  /** alternation := sequence ('|' sequence)*; stops before ')' or at the end. */
  alternation(): Need {
    const alts: Need[] = [this.sequence()];
    while (this.src[this.i] === '|') {
      this.i++;
      alts.push(this.sequence());
    }
    if (alts.some((a) => a === undefined)) return undefined;
    return [...new Set(alts.flatMap((a) => a as string[]))];
  }

  /** The strongest requirement of a sequence of atoms: a literal run or a required group. */
  private sequence(): Need {
    let best: Need;
    let run = '';
    const consider = (n: Need) => {
      if (n !== undefined && strength(n) >= MIN_LITERAL && strength(n) > strength(best)) best = n;
    };
    const endRun = () => {
      consider(run ? [run] : undefined);
      run = '';
    };
    const s = this.src;
    while (this.i < s.length && s[this.i] !== '|' && s[this.i] !== ')') {
      const c = s[this.i]!;
      let literal: string | undefined;
      let group: Need;
      if (c === '\\') {
        const e = s[this.i + 1];
        if (e === undefined) throw new Unsupported();
        if (/[A-Za-z0-9]/.test(e)) {
          if (!CLASS_ESCAPES.has(e)) throw new Unsupported();
        } else literal = e;
        this.i += 2;
      } else if (c === '[') {
        this.skipClass();
      } else if (c === '(') {
        this.i++;
        if (s[this.i] === '?') {
          if (s[this.i + 1] === ':') this.i += 2;
          else if (s.startsWith('P<', this.i + 1) || s[this.i + 1] === '<') this.i = s.indexOf('>', this.i) + 1;
          else throw new Unsupported(); // flags such as (?i) change how literals match
          if (this.i === 0) throw new Unsupported();
        }
        group = this.alternation();
        if (s[this.i] !== ')') throw new Unsupported();
        this.i++;
      } else if (c === '.' || c === '^' || c === '$') {
        this.i++;
      } else if (c === '*' || c === '+' || c === '?' || c === '{') {
        throw new Unsupported(); // a quantifier without an atom, or a literal brace: not worth the risk
      } else {
        literal = c;
        this.i++;
      }
      const q = this.quantifier();
      if (q === 'optional') {
        endRun();
        continue;
      }
      if (literal !== undefined) run += literal;
      else {
        endRun();
        consider(group);
      }
      if (q === 'repeated') endRun();
    }
    endRun();
    return best;
  }

  /** Consumes a quantifier after an atom: 'optional' (may match zero times), 'repeated' (one or more), or none. */
  private quantifier(): 'optional' | 'repeated' | undefined {
    const s = this.src;
    const c = s[this.i];
    let kind: 'optional' | 'repeated' | undefined;
    if (c === '*' || c === '?') {
      this.i++;
      kind = 'optional';
    } else if (c === '+') {
      this.i++;
      kind = 'repeated';
    } else if (c === '{') {
      const m = /^\{(\d+)(,\d*)?\}/.exec(s.slice(this.i));
      if (!m) throw new Unsupported();
      this.i += m[0].length;
      kind = Number(m[1]) === 0 ? 'optional' : 'repeated';
    } else return undefined;
    if (s[this.i] === '?') this.i++; // non-greedy
    if (s[this.i] === '*' || s[this.i] === '+' || s[this.i] === '?' || s[this.i] === '{') throw new Unsupported();
    return kind;
  }

  private skipClass(): void {
    const s = this.src;
    let j = this.i + 1;
    if (s[j] === '^') j++;
    if (s[j] === ']') j++;
    for (; j < s.length && s[j] !== ']'; j++) {
      if (s[j] === '\\') j++;
      else if (s[j] === '[' && s[j + 1] === ':') throw new Unsupported();
    }
    if (j >= s.length) throw new Unsupported();
    this.i = j + 1;
  }
}

/**
 * Literals of which every match of the RE2 regex `source` contains at least one, or
 * undefined when no such set of literals (each at least 3 characters) can be derived.
 */
export function requiredLiterals(source: string): string[] | undefined {
  if (source.includes('\\Q')) return undefined;
  const sc = new Scanner(source);
  try {
    const need = sc.alternation();
    if (sc.i !== source.length) return undefined; // unbalanced ')'
    return need !== undefined && strength(need) >= MIN_LITERAL ? need : undefined;
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}

const NON_ASCII = /[^\x00-\x7f]/;

// Valid with the `u` flag too, which allows only these escapes outside a class (not `\-`).
function escapeRegExp(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

/**
 * A test that is false only for text containing none of `literals` (any case when
 * `caseInsensitive`). It is one native RegExp of escaped literals: no quantifiers, so no
 * backtracking. Case-insensitive matching uses the `u` flag, whose Unicode simple case
 * folding is RE2's (k and the Kelvin sign fold together), and which also covers what
 * lower-casing then comparing finds for ASCII literals.
 */
export function literalTest(literals: readonly string[], caseInsensitive = false): ((text: string) => boolean) | undefined {
  if (literals.length === 0) return undefined;
  if (caseInsensitive && literals.some((l) => NON_ASCII.test(l))) return undefined;
  const re = new RegExp(literals.map(escapeRegExp).join('|'), caseInsensitive ? 'iu' : '');
  return (text) => re.test(text);
}

/**
 * A test that is false only for text the RE2 regex `source` cannot match, or undefined
 * when the regex gives no usable literals (then always run the regex).
 */
export function literalPrefilter(source: string, caseInsensitive = false): ((text: string) => boolean) | undefined {
  const lits = requiredLiterals(source);
  return lits ? literalTest(lits, caseInsensitive) : undefined;
}

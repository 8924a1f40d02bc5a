import { WILDCARD } from './masking.js';
import { ALL_RULES, RULES } from './rules.js';

/**
 * Values written in several tokens, joined after masking: a size and its unit, a written-out
 * date. Both work on already-masked tokens, in place.
 */

const SIZE_UNITS = new Set(['B', 'KB', 'MB', 'GB', 'TB', 'PB', 'KiB', 'MiB', 'GiB', 'TiB', 'kB']);

/**
 * A size written as number and unit (`16.0 KB`, `2 GB,`, `(1.16 KB)`) is one value: the unit
 * token after a masked number goes into its `<*>`, its trailing punctuation stays. (Not
 * durations: `took <*> ms`, `for <*> seconds` keep their unit in the ground truth.)
 */
export function collapseUnits(tokens: string[], rules: number = ALL_RULES): string[] {
  if (!(rules & RULES.units)) return tokens;
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


import type { Matcher } from '../model/matcher.js';

/**
 * Postings lists are sorted ascending arrays of series ids. An index exposes, per label name,
 * its values and each value's list; selection follows Prometheus's PostingsForMatchers.
 */
export interface PostingsIndex {
  /** Every series id, sorted. */
  allPostings(): Uint32Array;
  /** Distinct values of a label name (none if no series has it). */
  valuesOf(name: string): Iterable<string>;
  /** Sorted ids of series with name=value (empty if none). */
  postings(name: string, value: string): Uint32Array;
}

export const EMPTY = new Uint32Array(0);

export function intersect(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(Math.min(a.length, b.length));
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      out[n++] = x;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return out.subarray(0, n);
}

/** a minus b. */
export function subtract(a: Uint32Array, b: Uint32Array): Uint32Array {
  if (b.length === 0) return a;
  const out = new Uint32Array(a.length);
  let j = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    while (j < b.length && (b[j] as number) < x) j++;
    if (j < b.length && b[j] === x) continue;
    out[n++] = x;
  }
  return out.subarray(0, n);
}

export function union(lists: readonly Uint32Array[]): Uint32Array {
  if (lists.length === 0) return EMPTY;
  if (lists.length === 1) return lists[0] as Uint32Array;
  let total = 0;
  for (const l of lists) total += l.length;
  const all = new Uint32Array(total);
  let off = 0;
  for (const l of lists) {
    all.set(l, off);
    off += l.length;
  }
  all.sort();
  let n = 0;
  for (let i = 0; i < all.length; i++) {
    if (n === 0 || all[n - 1] !== all[i]) all[n++] = all[i] as number;
  }
  return all.subarray(0, n);
}

/** Union of the postings of `name`'s values for which `want(value)` is true. */
function valuesWhere(index: PostingsIndex, name: string, want: (v: string) => boolean): Uint32Array {
  const lists: Uint32Array[] = [];
  for (const v of index.valuesOf(name)) if (want(v)) lists.push(index.postings(name, v));
  return union(lists);
}

/**
 * Series ids matching every matcher. A missing label counts as the empty value, so a matcher
 * that accepts "" (`x=""`, `x!="a"`, `x=~".*"`) also selects series without the label: those are
 * handled by subtracting the series whose value the matcher rejects, not by intersection.
 */
export function postingsForMatchers(index: PostingsIndex, matchers: readonly Matcher[]): Uint32Array {
  const positive: Matcher[] = [];
  const negative: Matcher[] = [];
  for (const m of matchers) (m.matches('') ? negative : positive).push(m);
  let result: Uint32Array | undefined;
  // Cheapest first: equality lookups before regex scans.
  positive.sort((a, b) => rank(a) - rank(b));
  for (const m of positive) {
    const list =
      m.type === '=' ? index.postings(m.name, m.value) : valuesWhere(index, m.name, (v) => m.matches(v));
    result = result === undefined ? list : intersect(result, list);
    if (result.length === 0) return EMPTY;
  }
  if (result === undefined) result = index.allPostings();
  for (const m of negative) {
    result = subtract(result, valuesWhere(index, m.name, (v) => !m.matches(v)));
    if (result.length === 0) return EMPTY;
  }
  return result;
}

function rank(m: Matcher): number {
  return m.type === '=' ? 0 : 1;
}

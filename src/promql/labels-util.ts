import type { Labels } from '../model/labels.js';

export const METRIC_NAME = '__name__';
/** Labels removed together with `__name__` (type-and-unit metadata labels). */
const NAME_LIKE = ['__name__', '__type__', '__unit__'];

/** A string identity for a label set (sorted names and values, 0xff-separated). */
export function labelsKey(l: Labels): string {
  const keys = Object.keys(l).sort();
  let s = '';
  for (const k of keys) s += `${k}\xff${l[k] as string}\xfe`;
  return s;
}

/** The key of `l` without `__name__` (used for dropName-aware collision checks). */
export function keyWithoutName(l: Labels): string {
  return labelsKey(withoutName(l));
}

export function withoutName(l: Labels): Labels {
  if (l.__name__ === undefined && l.__type__ === undefined && l.__unit__ === undefined) return l;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(l)) if (!NAME_LIKE.includes(k)) out[k] = v;
  return out;
}

export function without(l: Labels, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(l)) if (!names.includes(k)) out[k] = v;
  return out;
}

export function only(l: Labels, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) {
    const v = l[n];
    if (v !== undefined && v !== '') out[n] = v;
  }
  return out;
}

/**
 * Sorts items by compareLabels of their label sets, flattening each set once ([name, value, …]
 * by name) instead of sorting every set's names at every comparison. Same order as
 * `items.sort((a, b) => compareLabels(labelsOf(a), labelsOf(b)))` (stable).
 */
export function sortByLabels<T>(items: T[], labelsOf: (x: T) => Labels): void {
  sortByLabelsFlat(items, labelsOf);
}

/** sortByLabels, returning each item's flattened label set in the new order (equal sets are neighbours). */
export function sortByLabelsFlat<T>(items: T[], labelsOf: (x: T) => Labels): string[][] {
  const n = items.length;
  const flats: string[][] = new Array<string[]>(n);
  for (let i = 0; i < n; i++) flats[i] = flatLabels(labelsOf(items[i] as T));
  if (n < 2) return flats;
  const order: number[] = new Array<number>(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((x, y) => compareFlat(flats[x] as string[], flats[y] as string[]) || x - y);
  const was = items.slice();
  const sortedFlats: string[][] = new Array<string[]>(n);
  for (let k = 0; k < n; k++) {
    const i = order[k] as number;
    items[k] = was[i] as T;
    sortedFlats[k] = flats[i] as string[];
  }
  return sortedFlats;
}

function flatLabels(l: Labels): string[] {
  const f: string[] = [];
  for (const k of Object.keys(l).sort()) f.push(k, l[k] as string);
  return f;
}

/** compareLabels over flattened label sets. */
export function compareFlat(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const u = a[i] as string;
    const v = b[i] as string;
    if (u !== v) return u < v ? -1 : 1;
  }
  return a.length - b.length;
}

/** Prometheus's labels.Compare: lexicographic over sorted (name, value) pairs. */
export function compareLabels(a: Labels, b: Labels): number {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  const n = Math.min(ka.length, kb.length);
  for (let i = 0; i < n; i++) {
    const na = ka[i] as string;
    const nb = kb[i] as string;
    if (na !== nb) return na < nb ? -1 : 1;
    const va = a[na] as string;
    const vb = b[nb] as string;
    if (va !== vb) return va < vb ? -1 : 1;
  }
  return ka.length - kb.length;
}

/** `{a="1", b="2"}` with `__name__` printed as a prefix, as Prometheus's Labels.String does. */
export function labelsString(l: Labels): string {
  const keys = Object.keys(l).sort();
  return `{${keys.map((k) => `${k}=${JSON.stringify(l[k])}`).join(', ')}}`;
}

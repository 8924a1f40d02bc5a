import type { Labels } from '../model/labels.js';

/** A label set's identity as a string: sorted `name\xffvalue\xff` pairs, empty values dropped. */
export function labelsKey(l: Labels): string {
  let out = '';
  for (const k of Object.keys(l).sort()) {
    const v = l[k] as string;
    if (v === '') continue;
    out += `${k}\xff${v}\xff`;
  }
  return out;
}

/** Prometheus's labels.Labels.String(): `{a="1", b="2"}`, names sorted, values Go-quoted. */
export function labelsString(l: Labels): string {
  return `{${Object.keys(l)
    .sort()
    .filter((k) => l[k] !== '')
    .map((k) => `${k}=${JSON.stringify(l[k])}`)
    .join(', ')}}`;
}

/** `base` with `over` set on top (Prometheus's FromMaps / labels.Builder): empty values delete. */
export function mergeLabels(base: Labels | undefined, over: Labels | undefined): Record<string, string> {
  const out: Record<string, string> = { ...(base ?? {}) };
  for (const [k, v] of Object.entries(over ?? {})) {
    if (v === '') delete out[k];
    else out[k] = v;
  }
  return out;
}

/** Labels sorted by name (the order Prometheus's JSON shows them in). */
export function sortedLabels(l: Labels): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(l).sort()) if (l[k] !== '') out[k] = l[k] as string;
  return out;
}

/** Prometheus's labels.Compare: pair by pair (name, then value) in name order; fewer labels first. */
export function compareLabels(a: Labels, b: Labels): number {
  const ka = Object.keys(a).filter((k) => a[k] !== '').sort();
  const kb = Object.keys(b).filter((k) => b[k] !== '').sort();
  const n = Math.min(ka.length, kb.length);
  for (let i = 0; i < n; i++) {
    const x = ka[i] as string;
    const y = kb[i] as string;
    if (x !== y) return x < y ? -1 : 1;
    const vx = a[x] as string;
    const vy = b[y] as string;
    if (vx !== vy) return vx < vy ? -1 : 1;
  }
  return ka.length - kb.length;
}

import type { Sample, Vector } from '../value.js';
import type { FnArg, InstantFunctionDef } from './types.js';

function byValue(desc: boolean) {
  return (a: Sample, b: Sample): number => {
    const an = Number.isNaN(a.v);
    const bn = Number.isNaN(b.v);
    if (an || bn) return an === bn ? 0 : an ? 1 : -1;
    return desc ? b.v - a.v : a.v - b.v;
  };
}

/** Natural order: digit runs compare numerically, as Prometheus's collator with numeric ordering. */
export function naturalCompare(a: string, b: string): number {
  const re = /(\d+|\D+)/g;
  const pa = a.match(re) ?? [];
  const pb = b.match(re) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i] as string;
    const y = pb[i] as string;
    if (x === y) continue;
    const dx = /^\d/.test(x);
    const dy = /^\d/.test(y);
    if (dx && dy) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d;
      return x.length - y.length;
    }
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

function byLabels(desc: boolean) {
  return (args: readonly FnArg[]): Vector => {
    const vec = [...(args[0] as Vector)];
    const names = args.slice(1) as string[];
    vec.sort((a, b) => {
      for (const n of names) {
        const c = naturalCompare(a.labels[n] ?? '', b.labels[n] ?? '');
        if (c !== 0) return desc ? -c : c;
      }
      const ka = Object.keys(a.labels).sort().map((k) => `${k}=${a.labels[k]}`).join('\xff');
      const kb = Object.keys(b.labels).sort().map((k) => `${k}=${b.labels[k]}`).join('\xff');
      const c = naturalCompare(ka, kb);
      return desc ? -c : c;
    });
    return vec;
  };
}

export const SORT_FUNCTIONS: InstantFunctionDef[] = [
  { kind: 'instant', name: 'sort', argTypes: ['vector'], variadic: 0, returnType: 'vector', keepName: true, call: (a) => [...(a[0] as Vector)].sort(byValue(false)) },
  { kind: 'instant', name: 'sort_desc', argTypes: ['vector'], variadic: 0, returnType: 'vector', keepName: true, call: (a) => [...(a[0] as Vector)].sort(byValue(true)) },
  { kind: 'instant', name: 'sort_by_label', argTypes: ['vector', 'string'], variadic: -1, returnType: 'vector', keepName: true, call: byLabels(false) },
  { kind: 'instant', name: 'sort_by_label_desc', argTypes: ['vector', 'string'], variadic: -1, returnType: 'vector', keepName: true, call: byLabels(true) },
];

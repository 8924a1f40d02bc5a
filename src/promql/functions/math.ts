import type { FnArg, InstantFunctionDef } from './types.js';
import type { Vector } from '../value.js';

/** An element-wise function of one vector argument; drops `__name__`. */
export function simpleFn(name: string, f: (v: number, params: readonly number[]) => number, params: number = 0, optional = 0): InstantFunctionDef {
  return {
    kind: 'instant',
    name,
    argTypes: ['vector', ...Array<'scalar'>(params).fill('scalar')],
    variadic: optional,
    returnType: 'vector',
    elementwise: f,
    call: (args: readonly FnArg[]) => {
      const vec = args[0] as Vector;
      const ps = args.slice(1) as number[];
      return vec.map((s) => ({ labels: s.labels, t: s.t, v: f(s.v, ps), dropName: true }));
    },
  };
}

function clampVec(args: readonly FnArg[], lo: number, hi: number): Vector {
  if (hi < lo) return [];
  return (args[0] as Vector).map((s) => ({ labels: s.labels, t: s.t, v: Math.max(lo, Math.min(hi, s.v)), dropName: true }));
}

export const MATH_FUNCTIONS: InstantFunctionDef[] = [
  simpleFn('abs', Math.abs),
  simpleFn('ceil', Math.ceil),
  simpleFn('floor', Math.floor),
  simpleFn('exp', Math.exp),
  simpleFn('sqrt', Math.sqrt),
  simpleFn('ln', Math.log),
  simpleFn('log2', Math.log2),
  simpleFn('log10', Math.log10),
  simpleFn('sgn', (v) => (Number.isNaN(v) ? v : v > 0 ? 1 : v < 0 ? -1 : v)),
  simpleFn('sin', Math.sin),
  simpleFn('cos', Math.cos),
  simpleFn('tan', Math.tan),
  simpleFn('asin', Math.asin),
  simpleFn('acos', Math.acos),
  simpleFn('atan', Math.atan),
  simpleFn('sinh', Math.sinh),
  simpleFn('cosh', Math.cosh),
  simpleFn('tanh', Math.tanh),
  simpleFn('asinh', Math.asinh),
  simpleFn('acosh', Math.acosh),
  simpleFn('atanh', Math.atanh),
  simpleFn('deg', (v) => (v * 180) / Math.PI),
  simpleFn('rad', (v) => (v * Math.PI) / 180),
  simpleFn(
    'round',
    (v, p) => {
      const toNearest = p.length > 0 ? (p[0] as number) : 1;
      const inv = 1 / toNearest;
      // Prometheus rounds half up (floor(x*inv + 0.5)), not half away from zero.
      return Math.floor(v * inv + 0.5) / inv;
    },
    1,
    1,
  ),
  {
    kind: 'instant',
    name: 'clamp',
    argTypes: ['vector', 'scalar', 'scalar'],
    variadic: 0,
    returnType: 'vector',
    call: (args) => clampVec(args, args[1] as number, args[2] as number),
  },
  {
    kind: 'instant',
    name: 'clamp_min',
    argTypes: ['vector', 'scalar'],
    variadic: 0,
    returnType: 'vector',
    call: (args) => (args[0] as Vector).map((s) => ({ labels: s.labels, t: s.t, v: Math.max(args[1] as number, s.v), dropName: true })),
  },
  {
    kind: 'instant',
    name: 'clamp_max',
    argTypes: ['vector', 'scalar'],
    variadic: 0,
    returnType: 'vector',
    call: (args) => (args[0] as Vector).map((s) => ({ labels: s.labels, t: s.t, v: Math.min(args[1] as number, s.v), dropName: true })),
  },
  { kind: 'instant', name: 'pi', argTypes: [], variadic: 0, returnType: 'scalar', call: () => Math.PI },
  { kind: 'instant', name: 'min_of', argTypes: ['scalar', 'scalar'], variadic: 0, returnType: 'scalar', call: (a) => Math.min(a[0] as number, a[1] as number) },
  { kind: 'instant', name: 'max_of', argTypes: ['scalar', 'scalar'], variadic: 0, returnType: 'scalar', call: (a) => Math.max(a[0] as number, a[1] as number) },
];

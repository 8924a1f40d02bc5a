import type { DurationExpr } from './ast.js';
import { ExecutionError } from './errors.js';
import { maxOf, minOf } from '../model/arrays.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };

/** Milliseconds of a duration literal such as `1h30m` or `500ms` (the lexer guarantees the syntax). */
export function parseDurationLiteral(text: string): number {
  let ms = 0;
  for (const m of text.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) ms += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
  return ms;
}

export interface DurationContext {
  /** Query step in ms (0 for instant queries). */
  readonly stepMs: number;
  /** Query range end - start in ms. */
  readonly rangeMs: number;
}

function evalSeconds(e: DurationExpr, ctx: DurationContext | undefined): number | undefined {
  switch (e.kind) {
    case 'num':
      return e.seconds;
    case 'step':
      return ctx ? ctx.stepMs / 1000 : undefined;
    case 'range':
      return ctx ? ctx.rangeMs / 1000 : undefined;
    case 'neg': {
      const v = evalSeconds(e.expr, ctx);
      return v === undefined ? undefined : -v;
    }
    case 'bin': {
      const a = evalSeconds(e.lhs, ctx);
      const b = evalSeconds(e.rhs, ctx);
      if (a === undefined || b === undefined) return undefined;
      switch (e.op) {
        case '+': return a + b;
        case '-': return a - b;
        case '*': return a * b;
        case '/': return a / b;
        case '%': return a % b;
        case '^': return a ** b;
        default: return undefined;
      }
    }
    case 'minmax': {
      const vals = e.args.map((a) => evalSeconds(a, ctx));
      if (vals.some((v) => v === undefined)) return undefined;
      const nums = vals as number[];
      return e.fn === 'min_of' ? minOf(nums) : maxOf(nums);
    }
    default: {
      const never: never = e;
      return never;
    }
  }
}

/** Folds constant sub-expressions so the common case (`5m`) is a plain number. */
export function foldDuration(e: DurationExpr): DurationExpr {
  const v = evalSeconds(e, undefined);
  return v === undefined ? e : { kind: 'num', seconds: v };
}

/** The duration in ms (rounded like Prometheus's float seconds → time.Duration conversion). */
export function durationMs(e: DurationExpr | undefined, ctx: DurationContext): number {
  if (e === undefined) return 0;
  const s = evalSeconds(e, ctx);
  if (s === undefined || !Number.isFinite(s)) throw new ExecutionError('invalid duration expression');
  return Math.round(s * 1000);
}

export function isConstantDuration(e: DurationExpr): e is { kind: 'num'; seconds: number } {
  return e.kind === 'num';
}

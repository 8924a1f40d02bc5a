import type { FnArg, InstantFunctionDef } from './types.js';
import type { Vector } from '../value.js';

/** Date-part functions: the argument's values are Unix seconds (default: vector(time())), read in UTC. */
function datePart(name: string, f: (d: Date) => number): InstantFunctionDef {
  return {
    kind: 'instant',
    name,
    argTypes: ['vector'],
    variadic: 1,
    returnType: 'vector',
    call: (args: readonly FnArg[], t: number): Vector => {
      if (args.length === 0) return [{ labels: {}, t, v: f(new Date(t)) }];
      return (args[0] as Vector).map((s) => ({
        labels: s.labels,
        t: s.t,
        v: Number.isFinite(s.v) ? f(new Date(Math.floor(s.v) * 1000)) : NaN,
        dropName: true,
      }));
    },
  };
}

export const TIME_FUNCTIONS: InstantFunctionDef[] = [
  datePart('year', (d) => d.getUTCFullYear()),
  datePart('month', (d) => d.getUTCMonth() + 1),
  datePart('day_of_month', (d) => d.getUTCDate()),
  datePart('day_of_week', (d) => d.getUTCDay()),
  datePart('day_of_year', (d) => Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1),
  datePart('hour', (d) => d.getUTCHours()),
  datePart('minute', (d) => d.getUTCMinutes()),
  datePart('days_in_month', (d) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate()),
  { kind: 'instant', name: 'time', argTypes: [], variadic: 0, returnType: 'scalar', call: (_a, t) => t / 1000 },
];

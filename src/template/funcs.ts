import type { GoValue } from './values.js';

/** The Go type a function parameter has, which decides what an argument may be. */
export type ParamType = 'any' | 'string' | 'int' | 'float' | 'bool' | NamedType;

/** A Go type of the caller's (e.g. `template.queryResult`): its name and which values are of it. */
export interface NamedType {
  readonly name: string;
  readonly accepts: (v: GoValue) => boolean;
}

/**
 * A template function, like an entry of Go's template.FuncMap: typed parameters (checked the
 * way Go's reflection checks them), an optional variadic tail, and an implementation that
 * returns the value or throws an Error (Go's `(T, error)` return) — or a promise of it, for
 * functions such as `query` that wait on something.
 */
export interface TemplateFunc {
  readonly params: readonly ParamType[];
  readonly variadic?: ParamType;
  readonly async?: boolean;
  /** `ctx` is whatever the caller passed to Template.execute (per-execution state such as the query time). */
  readonly fn: (args: GoValue[], ctx: unknown) => GoValue | Promise<GoValue>;
}

export type FuncMap = ReadonlyMap<string, TemplateFunc>;

/** Names the executor implements itself (they need lazy arguments or the engine's state). */
export const EXEC_BUILTINS = new Set(['and', 'or', 'call']);

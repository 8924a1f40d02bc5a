import { BUILTINS } from './builtins.js';
import { executeAsync, executeSync, type ExecOptions } from './exec.js';
import { DEFAULT_LIMITS, type ExecLimits } from './exec-state.js';
import { EXEC_BUILTINS, type FuncMap, type TemplateFunc } from './funcs.js';
import { parseTemplate } from './parser.js';
import type { Tree } from './ast.js';
import type { GoValue } from './values.js';

export { TemplateParseError, lineColOf } from './parser.js';
export { TemplateExecError, DEFAULT_LIMITS } from './exec-state.js';
export type { ExecLimits } from './exec-state.js';
export type { ExecOptions } from './exec.js';
export { formatGoTime } from './go-time.js';
export type { TemplateFunc, FuncMap, ParamType, NamedType } from './funcs.js';
export { GoMap, GoSlice, GoStruct, GoTime, GoDuration, GoHTML, Int, sprintV, typeName, isTrue, timeString, durationString } from './values.js';
export type { GoValue, ValueMethod } from './values.js';
export { goSprintf, goSprint } from './go-fmt.js';
export { formatFloat, formatFloatV, parseGoFloat, goQuoteString } from './go-float.js';
export { queryEscape } from './builtins.js';
export { compileGoRegexp, goMatchString, goReplaceAll } from './go-regexp.js';
export { humanize, humanize1024, humanizeDuration, titleCase } from './humanize.js';

/**
 * A parsed Go text/template with its function map. Parsing happens once (unknown functions,
 * undefined variables and syntax errors throw TemplateParseError); each execution then only
 * walks the tree. `execute` returns a string, or a promise of one when the template calls an
 * asynchronous function.
 */
export class Template {
  private constructor(
    readonly tree: Tree,
    private readonly funcs: FuncMap,
    private readonly limits: ExecLimits,
  ) {}

  /**
   * `parent`: the templates this one is associated with (Go's template set): their defines
   * can be called from this text, and defines here override theirs.
   */
  static parse(name: string, text: string, funcs: FuncMap = new Map(), limits: ExecLimits = DEFAULT_LIMITS, parent?: Template): Template {
    const all = new Map<string, TemplateFunc>(BUILTINS);
    for (const [k, f] of funcs) all.set(k, f);
    const tree = parseTemplate(name, text, {
      hasFunction: (n) => all.has(n) || EXEC_BUILTINS.has(n),
      isAsync: (n) => all.get(n)?.async === true,
      ...(parent ? { parent: parent.tree } : {}),
    });
    return new Template(tree, all, limits);
  }

  get async(): boolean {
    return this.tree.async;
  }

  /**
   * Runs the template over `data` (the value of `.` and `$`); `ctx` is handed to every function
   * call. Throws (or rejects with) TemplateExecError.
   */
  execute(data: GoValue, ctx?: unknown, opts: ExecOptions = {}): string | Promise<string> {
    return this.tree.async ? executeAsync(this.tree, this.funcs, data, ctx, this.limits, opts) : executeSync(this.tree, this.funcs, data, ctx, this.limits, opts);
  }
}

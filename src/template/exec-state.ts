import type { ListNode, PipeNode, Tree } from './ast.js';
import type { FuncMap } from './funcs.js';
import { lineColOf } from './parser.js';
import type { GoValue } from './values.js';

/** A template failed while running: the message names the template, line, column and action. */
export class TemplateExecError extends Error {
  override name = 'TemplateExecError';
}

export interface ExecLimits {
  readonly maxSteps: number;
  readonly maxOutputBytes: number;
  readonly maxDepth: number;
}

export const DEFAULT_LIMITS: ExecLimits = { maxSteps: 1_000_000, maxOutputBytes: 1 << 20, maxDepth: 100 };

export type Ev<T> = Generator<Promise<unknown>, T, unknown>;

export class Jump {
  constructor(readonly kind: 'break' | 'continue') {}
}

interface Var {
  readonly name: string;
  value: GoValue;
}

/** What a template's execution carries: its output, limits, variables and position for errors. */
export class State {
  out = '';
  steps = 0;
  depth = 0;
  vars: Var[];
  node: { pos: number; end: number } | undefined;

  /** The tree whose text positions refer to (switches while a define of a parent runs). */
  tree: Tree;

  constructor(
    readonly root: Tree,
    readonly funcs: FuncMap,
    readonly limits: ExecLimits,
    data: GoValue,
    readonly ctx: unknown,
    readonly escape: ((v: GoValue) => string) | undefined,
  ) {
    this.tree = root;
    this.vars = [{ name: '$', value: data }];
  }

  /** A define by name, from the executed tree and then its parents. */
  define(name: string): { tree: Tree; body: ListNode } | undefined {
    for (let t: Tree | undefined = this.root; t; t = t.parent) {
      const body = t.defines.get(name);
      if (body) return { tree: t, body };
    }
    return undefined;
  }

  fail(msg: string): never {
    const n = this.node;
    if (!n) throw new TemplateExecError(`template: ${this.tree.name}: ${msg}`);
    const { line, col } = lineColOf(this.tree.text, n.pos);
    const ctx = this.tree.text.slice(n.pos, n.end);
    throw new TemplateExecError(`template: ${this.tree.name}:${line}:${col - 1}: executing "${this.tree.name}" at <${ctx}>: ${msg}`);
  }

  at(n: { pos: number; end: number }): void {
    this.node = n;
    if (++this.steps > this.limits.maxSteps) this.fail(`execution exceeded ${this.limits.maxSteps} steps`);
  }

  write(s: string): void {
    this.out += s;
    if (this.out.length > this.limits.maxOutputBytes) this.fail(`output exceeded ${this.limits.maxOutputBytes} bytes`);
  }

  lookup(name: string): GoValue {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i] as Var;
      if (v.name === name) return v.value;
    }
    return this.fail(`undefined variable: ${name}`);
  }

  /** Sets a range's variables for one iteration: `$e` gets the element, `$k, $e` the key and element. */
  assignRange(decl: PipeNode['decl'], key: GoValue, elem: GoValue): void {
    const [first, second] = decl;
    if (second) {
      this.vars.push({ name: first?.ident[0] as string, value: key });
      this.vars.push({ name: second.ident[0] as string, value: elem });
    } else if (first) this.vars.push({ name: first.ident[0] as string, value: elem });
  }

  assign(name: string, value: GoValue): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i] as Var;
      if (v.name === name) {
        v.value = value;
        return;
      }
    }
    this.fail(`undefined variable: ${name}`);
  }
}


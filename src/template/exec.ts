import type { ArgNode, BranchNode, CommandNode, ListNode, Node, PipeNode, Tree } from './ast.js';
import type { FuncMap, ParamType, TemplateFunc } from './funcs.js';
import { methodOf } from './methods.js';
import { GoMap, GoSlice, GoStruct, Int, isTrue, sprintV, typeName, type GoValue } from './values.js';
import { DEFAULT_LIMITS, Jump, State, TemplateExecError, type Ev, type ExecLimits } from './exec-state.js';

/**
 * Executes a parsed template the way Go's text/template does. The walk is written as
 * generators that yield a promise when a function returns one (`query`), so a template that
 * calls nothing asynchronous runs synchronously and one that does is awaited step by step.
 * Execution is bounded (steps, output, template nesting): a template can fail, never hang.
 */

function* walkList(s: State, dot: GoValue, list: ListNode): Ev<void> {
  for (const n of list.nodes) yield* walk(s, dot, n);
}

function* walk(s: State, dot: GoValue, n: Node): Ev<void> {
  switch (n.type) {
    case 'text':
      s.write(n.text);
      return;
    case 'action': {
      const v = yield* evalPipeline(s, dot, n.pipe);
      if (n.pipe.decl.length === 0) s.write(s.escape ? s.escape(v) : printable(v));
      return;
    }
    case 'if':
    case 'with':
      yield* ifOrWith(s, dot, n, n.type);
      return;
    case 'range':
      yield* range(s, dot, n);
      return;
    case 'break':
      throw new Jump('break');
    case 'continue':
      throw new Jump('continue');
    case 'template': {
      s.at({ pos: n.pos, end: n.pos + 8 });
      const found = s.define(n.name);
      if (!found) s.fail(`no such template ${JSON.stringify(n.name)}`);
      const arg = n.pipe ? yield* evalPipeline(s, dot, n.pipe) : null;
      if (++s.depth > s.limits.maxDepth) s.fail(`exceeded maximum template depth (${s.limits.maxDepth})`);
      const saved = s.vars;
      const savedTree = s.tree;
      s.vars = [{ name: '$', value: arg }];
      s.tree = found.tree;
      try {
        yield* walkList(s, arg, found.body);
      } finally {
        s.vars = saved;
        s.tree = savedTree;
        s.depth--;
      }
      return;
    }
    default: {
      const never: never = n;
      return never;
    }
  }
}

function printable(v: GoValue): string {
  return sprintV(v);
}

function* ifOrWith(s: State, dot: GoValue, n: BranchNode, kind: 'if' | 'with'): Ev<void> {
  const mark = s.vars.length;
  try {
    const v = yield* evalPipeline(s, dot, n.pipe);
    if (isTrue(v)) yield* walkList(s, kind === 'with' ? v : dot, n.list);
    else if (n.elseList) yield* walkList(s, dot, n.elseList);
  } finally {
    s.vars.length = mark;
  }
}

function* range(s: State, dot: GoValue, n: BranchNode): Ev<void> {
  const mark = s.vars.length;
  try {
    const v = yield* evalPipeline(s, dot, n.pipe, true);
    const decl = n.pipe.decl;
    const one = function* (key: GoValue, elem: GoValue): Ev<boolean> {
      s.at(n.pipe);
      const inner = s.vars.length;
      if (decl.length > 0) s.assignRange(decl, key, elem);
      try {
        yield* walkList(s, elem, n.list);
      } catch (e) {
        if (e instanceof Jump) return e.kind === 'break';
        throw e;
      } finally {
        s.vars.length = inner;
      }
      return false;
    };
    let count = 0;
    if (v instanceof GoSlice) {
      for (let i = 0; i < v.items.length; i++) {
        count++;
        if (yield* one(new Int(i), v.items[i] ?? null)) break;
      }
    } else if (v instanceof GoMap) {
      for (const k of v.sortedKeys()) {
        count++;
        if (yield* one(k, v.entries.get(k) ?? null)) break;
      }
    } else if (v instanceof Int) {
      if (decl.length > 1) s.fail(`can't use ${v.v} to iterate over more than one variable`);
      for (let i = 0; i < v.v; i++) {
        count++;
        if (yield* one(new Int(i), new Int(i))) break;
      }
    } else if (v !== null) s.fail(`range can't iterate over ${sprintV(v)}`);
    if (count === 0 && n.elseList) yield* walkList(s, dot, n.elseList);
  } finally {
    s.vars.length = mark;
  }
}

function* evalPipeline(s: State, dot: GoValue, pipe: PipeNode, forRange = false): Ev<GoValue> {
  let value: GoValue | typeof NONE = NONE;
  for (const cmd of pipe.cmds) value = yield* evalCommand(s, dot, cmd, value);
  const v = value === NONE ? null : value;
  if (!forRange) {
    for (const d of pipe.decl) {
      if (pipe.isAssign) s.assign(d.ident[0] as string, v);
      else s.vars.push({ name: d.ident[0] as string, value: v });
    }
  }
  return v;
}

const NONE = Symbol('none');
type Final = GoValue | typeof NONE;

function* evalCommand(s: State, dot: GoValue, cmd: CommandNode, final: Final): Ev<GoValue> {
  const first = cmd.args[0] as ArgNode;
  s.at(first);
  switch (first.type) {
    case 'field':
      return yield* evalFields(s, dot, dot, first.ident, first, cmd.args, final);
    case 'chain': {
      const recv = yield* evalArg(s, dot, first.node);
      return yield* evalFields(s, dot, recv, first.field, first, cmd.args, final);
    }
    case 'identifier':
      return yield* callFunction(s, dot, first.name, cmd, final);
    case 'pipe':
      notAFunction(s, cmd.args, final);
      return yield* evalPipeline(s, dot, first);
    case 'variable': {
      const v = s.lookup(first.ident[0] as string);
      if (first.ident.length === 1) {
        notAFunction(s, cmd.args, final);
        return v;
      }
      return yield* evalFields(s, dot, v, first.ident.slice(1), first, cmd.args, final);
    }
    case 'dot':
      notAFunction(s, cmd.args, final);
      return dot;
  }
  notAFunction(s, cmd.args, final);
  return literal(first);
}

function notAFunction(s: State, args: readonly ArgNode[], final: Final): void {
  if (args.length > 1 || final !== NONE) s.fail(`can't give argument to non-function ${s.tree.text.slice((args[0] as ArgNode).pos, (args[0] as ArgNode).end)}`);
}

function literal(n: ArgNode): GoValue {
  switch (n.type) {
    case 'bool':
      return n.value;
    case 'number':
      return n.isInt ? new Int(n.value) : n.value;
    case 'string':
      return n.value;
    case 'nil':
      return null;
    default:
      return null;
  }
}

/** An operand's value (an argument, or the receiver of a chain). */
function* evalArg(s: State, dot: GoValue, n: ArgNode): Ev<GoValue> {
  s.at(n);
  switch (n.type) {
    case 'dot':
      return dot;
    case 'nil':
      return null;
    case 'field':
      return yield* evalFields(s, dot, dot, n.ident, n, [n], NONE);
    case 'variable': {
      const v = s.lookup(n.ident[0] as string);
      return n.ident.length === 1 ? v : yield* evalFields(s, dot, v, n.ident.slice(1), n, [n], NONE);
    }
    case 'chain': {
      const recv = yield* evalArg(s, dot, n.node);
      return yield* evalFields(s, dot, recv, n.field, n, [n], NONE);
    }
    case 'pipe':
      return yield* evalPipeline(s, dot, n);
    case 'identifier': {
      const cmd: CommandNode = { type: 'command', pos: n.pos, end: n.end, args: [n] };
      return yield* callFunction(s, dot, n.name, cmd, NONE);
    }
    default:
      return literal(n);
  }
}

/** Walks `.a.b.c` from `recv`; the last one gets the command's arguments if it is a method. */
function* evalFields(s: State, dot: GoValue, recv: GoValue, names: readonly string[], node: ArgNode, args: readonly ArgNode[], final: Final): Ev<GoValue> {
  let v = recv;
  for (let i = 0; i < names.length; i++) {
    const last = i === names.length - 1;
    const callArgs = last ? args.slice(1) : [];
    const argVals: GoValue[] = [];
    for (const a of callArgs) argVals.push(yield* evalArg(s, dot, a));
    if (last && final !== NONE) argVals.push(final);
    s.node = node;
    v = field(s, v, names[i] as string, argVals, last && (callArgs.length > 0 || final !== NONE));
  }
  return v;
}

function field(s: State, recv: GoValue, name: string, args: GoValue[], hasArgs: boolean): GoValue {
  const method = methodOf(recv, name);
  if (method) return method((msg) => s.fail(msg), args);
  if (recv instanceof GoStruct) {
    if (recv.fields.has(name)) {
      if (hasArgs) s.fail(`${name} has arguments but cannot be invoked as function`);
      return recv.fields.get(name) ?? null;
    }
    return s.fail(`can't evaluate field ${name} in type ${typeName(recv)}`);
  }
  if (recv instanceof GoMap) {
    if (hasArgs) s.fail(`${name} is not a method but has arguments`);
    return recv.entries.has(name) ? (recv.entries.get(name) ?? null) : recv.zero;
  }
  if (recv === null) return s.fail(`nil pointer evaluating interface {}.${name}`);
  return s.fail(`can't evaluate field ${name} in type ${typeName(recv)}`);
}

function* callFunction(s: State, dot: GoValue, name: string, cmd: CommandNode, final: Final): Ev<GoValue> {
  const argNodes = cmd.args.slice(1);
  const node = cmd.args[0] as ArgNode;
  if (name === 'and' || name === 'or') {
    // Arguments are evaluated lazily: the first one that decides the result is returned.
    if (argNodes.length === 0 && final === NONE) s.fail(`wrong number of args for ${name}: want at least 1 got 0`);
    let v: GoValue = null;
    for (const a of argNodes) {
      v = yield* evalArg(s, dot, a);
      if (isTrue(v) !== (name === 'and')) return v;
    }
    return final === NONE ? v : final;
  }
  if (name === 'call') {
    s.node = node;
    return s.fail('error calling call: non-function of type template values');
  }
  const f = s.funcs.get(name) as TemplateFunc;
  const total = argNodes.length + (final === NONE ? 0 : 1);
  const want = f.params.length;
  if (f.variadic ? total < want : total !== want) {
    s.node = node;
    s.fail(`wrong number of args for ${name}: want ${f.variadic ? 'at least ' : ''}${want} got ${total}`);
  }
  const args: GoValue[] = [];
  for (let i = 0; i < argNodes.length; i++) {
    const t = (i < want ? f.params[i] : f.variadic) as ParamType;
    args.push(yield* typedArg(s, dot, argNodes[i] as ArgNode, t));
  }
  if (final !== NONE) args.push(checkType(s, final, (total - 1 < want ? f.params[total - 1] : f.variadic) as ParamType));
  s.node = { pos: node.pos, end: cmd.end };
  let r: GoValue | Promise<GoValue>;
  try {
    r = f.fn(args, s.ctx);
    if (r instanceof Promise) r = (yield r) as GoValue;
  } catch (e) {
    s.node = { pos: node.pos, end: cmd.end };
    return s.fail(`error calling ${name}: ${(e as Error).message}`);
  }
  return r;
}

/** An argument for a parameter of type `t`: literals convert as Go's untyped constants do. */
function* typedArg(s: State, dot: GoValue, n: ArgNode, t: ParamType): Ev<GoValue> {
  s.at(n);
  if (n.type === 'number') {
    switch (t) {
      case 'string':
        return s.fail(`expected string; found ${n.text}`);
      case 'bool':
        return s.fail(`expected bool; found ${n.text}`);
      case 'int':
        if (!Number.isInteger(n.value)) s.fail(`expected integer; found ${n.text}`);
        return new Int(n.value);
      case 'float':
        return n.value;
      case 'any':
        return literal(n);
      default:
        return s.fail(`expected ${goType(t)}; found ${n.text}`);
    }
  }
  if (n.type === 'nil' && t !== 'any') return s.fail(`cannot assign nil to ${goType(t)}`);
  return checkType(s, yield* evalArg(s, dot, n), t);
}

function goType(t: ParamType): string {
  if (typeof t === 'object') return t.name;
  return t === 'float' ? 'float64' : t === 'any' ? 'interface {}' : t;
}

function checkType(s: State, v: GoValue, t: ParamType): GoValue {
  const ok =
    t === 'any' ||
    (t === 'string' && typeof v === 'string') ||
    (t === 'float' && typeof v === 'number') ||
    (t === 'int' && v instanceof Int) ||
    (t === 'bool' && typeof v === 'boolean') ||
    (typeof t === 'object' && t.accepts(v));
  if (!ok) s.fail(`wrong type for value; expected ${goType(t)}; got ${typeName(v)}`);
  return v;
}

/** How action results are printed: `escape` replaces fmt's %v (html/template escapes values). */
export interface ExecOptions {
  readonly escape?: (v: GoValue) => string;
}

function start(tree: Tree, funcs: FuncMap, data: GoValue, limits: ExecLimits, ctx: unknown, opts: ExecOptions = {}): { s: State; gen: Ev<void> } {
  const s = new State(tree, funcs, limits, data, ctx, opts.escape);
  return { s, gen: walkList(s, data, tree.root) };
}

/** Runs a template that calls no asynchronous function. */
export function executeSync(tree: Tree, funcs: FuncMap, data: GoValue, ctx: unknown, limits = DEFAULT_LIMITS, opts: ExecOptions = {}): string {
  const { s, gen } = start(tree, funcs, data, limits, ctx, opts);
  const r = gen.next();
  if (!r.done) throw new TemplateExecError(`template: ${tree.name}: an asynchronous function was called during synchronous execution`);
  return s.out;
}

/** Runs any template, awaiting the promises its functions return. */
export async function executeAsync(tree: Tree, funcs: FuncMap, data: GoValue, ctx: unknown, limits = DEFAULT_LIMITS, opts: ExecOptions = {}): Promise<string> {
  const { s, gen } = start(tree, funcs, data, limits, ctx, opts);
  let r = gen.next();
  while (!r.done) {
    let value: unknown;
    let error: unknown;
    let failed = false;
    try {
      value = await r.value;
    } catch (e) {
      error = e;
      failed = true;
    }
    r = failed ? gen.throw(error) : gen.next(value);
  }
  return s.out;
}

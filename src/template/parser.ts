import type { ArgNode, CommandNode, ListNode, Node, PipeNode, Tree, VariableNode } from './ast.js';
import { lex, LexError, type Token, type TokenType } from './lexer.js';
import { numberNode, unquote } from './literals.js';

/**
 * A parse error with Go's wording (`function "x" not defined`, `undefined variable "$y"`,
 * `unexpected "}" in operand`) and where it happened: a source offset and its 1-based line and
 * column.
 */
export class TemplateParseError extends Error {
  override name = 'TemplateParseError';
  constructor(
    readonly templateName: string,
    readonly pos: number,
    readonly line: number,
    readonly col: number,
    readonly detail: string,
  ) {
    super(`template: ${templateName}:${line}:${col}: ${detail}`);
  }
}

export function lineColOf(text: string, pos: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: pos - lineStart + 1 };
}

export interface ParseOptions {
  /** Whether a function of this name exists (the parser rejects unknown ones, as Go's does). */
  readonly hasFunction: (name: string) => boolean;
  /** Whether calling the function may return a promise. */
  readonly isAsync?: (name: string) => boolean;
  /** Associated templates whose defines this one may call. */
  readonly parent?: Tree;
}

class Fail extends Error {
  constructor(
    readonly pos: number,
    readonly detail: string,
  ) {
    super(detail);
  }
}

function describe(t: Token): string {
  switch (t.type) {
    case 'eof':
      return 'EOF';
    case 'keyword':
      return `<${t.val}>`;
    case 'space':
      return 'space';
    default:
      return JSON.stringify(t.val);
  }
}

class Parser {
  private i = 0;
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  readonly defines = new Map<string, ListNode>();
  usesAsync = false;

  constructor(
    private readonly toks: readonly Token[],
    private readonly opts: ParseOptions,
  ) {}

  private peek(): Token {
    return this.toks[this.i] as Token;
  }
  private next(): Token {
    const t = this.toks[this.i] as Token;
    if (t.type !== 'eof') this.i++;
    return t;
  }
  private nextNonSpace(): Token {
    let t = this.next();
    while (t.type === 'space') t = this.next();
    return t;
  }
  private peekNonSpace(): Token {
    const save = this.i;
    const t = this.nextNonSpace();
    this.i = save;
    return t;
  }
  private expect(type: TokenType, context: string): Token {
    const t = this.nextNonSpace();
    if (t.type !== type) throw new Fail(t.pos, `unexpected ${describe(t)} in ${context}`);
    return t;
  }

  parse(): ListNode {
    const nodes: Node[] = [];
    while (this.peek().type !== 'eof') {
      if (this.peek().type === 'leftDelim') {
        const save = this.i;
        this.next();
        const kw = this.nextNonSpace();
        if (kw.type === 'keyword' && kw.val === 'define') {
          this.parseDefinition();
          continue;
        }
        this.i = save;
      }
      const { node, end } = this.textOrAction();
      if (end) throw new Fail(end.pos, `unexpected ${end.kind === 'end' ? '{{end}}' : '{{else}}'}`);
      if (node) nodes.push(node);
    }
    return { nodes };
  }

  private parseDefinition(): void {
    const nameTok = this.nextNonSpace();
    const name = this.templateName(nameTok, 'define clause');
    this.expect('rightDelim', 'define clause');
    const { list, end } = this.itemList();
    if (end.kind !== 'end') throw new Fail(end.pos, 'unexpected {{else}} in define clause');
    this.defines.set(name, list);
  }

  private templateName(t: Token, context: string): string {
    if (t.type !== 'string' && t.type !== 'rawString') throw new Fail(t.pos, `unexpected ${describe(t)} in ${context}`);
    try {
      return unquote(t.val);
    } catch {
      throw new Fail(t.pos, `invalid syntax in ${context}`);
    }
  }

  /** Nodes up to an {{end}} or {{else}}, which must come. */
  private itemList(): { list: ListNode; end: { kind: 'end' | 'else'; pos: number; elseKeyword?: 'if' | 'with' } } {
    const nodes: Node[] = [];
    for (;;) {
      if (this.peek().type === 'eof') throw new Fail(this.peek().pos, 'unexpected EOF');
      const { node, end } = this.textOrAction();
      if (end) return { list: { nodes }, end };
      if (node) nodes.push(node);
    }
  }

  private textOrAction(): { node?: Node; end?: { kind: 'end' | 'else'; pos: number; elseKeyword?: 'if' | 'with' } } {
    const t = this.next();
    if (t.type === 'text') return { node: { type: 'text', pos: t.pos, text: t.val } };
    if (t.type !== 'leftDelim') throw new Fail(t.pos, `unexpected ${describe(t)} in input`);
    const k = this.nextNonSpace();
    if (k.type === 'keyword') {
      switch (k.val) {
        case 'end':
          this.expect('rightDelim', 'end');
          return { end: { kind: 'end', pos: k.pos } };
        case 'else': {
          const p = this.peekNonSpace();
          if (p.type === 'keyword' && (p.val === 'if' || p.val === 'with')) {
            this.nextNonSpace();
            return { end: { kind: 'else', pos: k.pos, elseKeyword: p.val } };
          }
          this.expect('rightDelim', 'else');
          return { end: { kind: 'else', pos: k.pos } };
        }
        case 'if':
        case 'range':
        case 'with':
          return { node: this.control(k.val, k.pos) };
        case 'break':
        case 'continue':
          if (this.rangeDepth === 0) throw new Fail(k.pos, `{{${k.val}}} outside {{range}}`);
          this.expect('rightDelim', k.val);
          return { node: { type: k.val, pos: k.pos } };
        case 'template':
          return { node: this.templateControl(k.pos) };
        case 'block':
          return { node: this.blockControl(k.pos) };
        case 'define':
          throw new Fail(k.pos, 'unexpected <define> in command');
      }
    }
    this.i--;
    while (this.toks[this.i - 1]?.type === 'space') this.i--;
    const pipe = this.pipeline('command', 'rightDelim');
    return { node: { type: 'action', pos: pipe.pos, pipe } };
  }

  private control(kind: 'if' | 'range' | 'with', pos: number): Node {
    const mark = this.vars.length;
    try {
      const pipe = this.pipeline(kind, 'rightDelim');
      if (kind === 'range') this.rangeDepth++;
      let r;
      try {
        r = this.itemList();
      } finally {
        if (kind === 'range') this.rangeDepth--;
      }
      let elseList: ListNode | undefined;
      if (r.end.kind === 'else') {
        if (r.end.elseKeyword !== undefined) {
          if (r.end.elseKeyword !== kind) throw new Fail(r.end.pos, `unexpected <${r.end.elseKeyword}> after {{else}} in ${kind}`);
          elseList = { nodes: [this.control(kind, r.end.pos)] };
        } else {
          const e = this.itemList();
          if (e.end.kind !== 'end') throw new Fail(e.end.pos, 'expected end; found {{else}}');
          elseList = e.list;
        }
      }
      return { type: kind, pos, pipe, list: r.list, ...(elseList ? { elseList } : {}) };
    } finally {
      this.vars.length = mark;
    }
  }

  private templateControl(pos: number): Node {
    const name = this.templateName(this.nextNonSpace(), 'template clause');
    if (this.peekNonSpace().type === 'rightDelim') {
      this.nextNonSpace();
      return { type: 'template', pos, name };
    }
    return { type: 'template', pos, name, pipe: this.pipeline('template clause', 'rightDelim') };
  }

  private blockControl(pos: number): Node {
    const name = this.templateName(this.nextNonSpace(), 'block clause');
    const pipe = this.pipeline('block clause', 'rightDelim');
    const saved = this.vars;
    this.vars = ['$'];
    try {
      const { list, end } = this.itemList();
      if (end.kind !== 'end') throw new Fail(end.pos, 'unexpected {{else}} in block clause');
      this.defines.set(name, list);
    } finally {
      this.vars = saved;
    }
    return { type: 'template', pos, name, pipe };
  }

  private pipeline(context: string, end: 'rightDelim' | 'rightParen'): PipeNode {
    const start = this.peekNonSpace().pos;
    const decl: VariableNode[] = [];
    let isAssign = false;
    for (;;) {
      const v = this.peekNonSpace();
      if (v.type !== 'variable') break;
      const save = this.i;
      this.nextNonSpace();
      const after = this.peekNonSpace();
      if (after.type === 'assign' || after.type === 'declare') {
        this.nextNonSpace();
        isAssign = after.type === 'assign';
        decl.push({ type: 'variable', pos: v.pos, end: v.pos + v.val.length, ident: [v.val] });
        this.vars.push(v.val);
        break;
      }
      if (after.type === 'comma') {
        this.nextNonSpace();
        decl.push({ type: 'variable', pos: v.pos, end: v.pos + v.val.length, ident: [v.val] });
        this.vars.push(v.val);
        if (context === 'range' && decl.length < 2) {
          const p = this.peekNonSpace().type;
          if (p === 'variable' || p === 'rightDelim' || p === 'rightParen') continue;
          throw new Fail(after.pos, 'range can only initialize variables');
        }
        throw new Fail(after.pos, `too many declarations in ${context}`);
      }
      this.i = save;
      break;
    }
    const cmds: CommandNode[] = [];
    for (;;) {
      const t = this.nextNonSpace();
      if (t.type === end) {
        if (cmds.length === 0) throw new Fail(t.pos, `missing value for ${context}`);
        cmds.slice(1).forEach((c, i) => {
          const k = c.args[0]?.type;
          if (k === 'bool' || k === 'dot' || k === 'nil' || k === 'number' || k === 'string') throw new Fail(c.pos, `non executable command in pipeline stage ${i + 2}`);
        });
        return { type: 'pipe', pos: start, end: t.pos, isAssign, decl, cmds };
      }
      switch (t.type) {
        case 'bool':
        case 'char':
        case 'dot':
        case 'field':
        case 'identifier':
        case 'number':
        case 'nil':
        case 'rawString':
        case 'string':
        case 'variable':
        case 'leftParen':
          this.i--;
          cmds.push(this.command());
          break;
        case 'eof':
          throw new Fail(t.pos, `unclosed action`);
        default:
          throw new Fail(t.pos, `unexpected ${describe(t)} in ${context}`);
      }
    }
  }

  private command(): CommandNode {
    const pos = this.peekNonSpace().pos;
    const args: ArgNode[] = [];
    let end = pos;
    for (;;) {
      this.peekNonSpace();
      while (this.peek().type === 'space') this.next();
      const op = this.operand();
      if (op) {
        args.push(op);
        end = op.end;
      }
      const t = this.next();
      if (t.type === 'space') continue;
      if (t.type === 'rightDelim' || t.type === 'rightParen') this.i--;
      else if (t.type !== 'pipe') throw new Fail(t.pos, `unexpected ${describe(t)} in operand`);
      break;
    }
    if (args.length === 0) throw new Fail(pos, 'empty command');
    return { type: 'command', pos, end, args };
  }

  private operand(): ArgNode | undefined {
    const node = this.term();
    if (!node) return undefined;
    if (this.peek().type !== 'field') return node;
    const fields: string[] = [];
    let end = node.end;
    while (this.peek().type === 'field') {
      const f = this.next();
      fields.push(f.val.slice(1));
      end = f.pos + f.val.length;
    }
    switch (node.type) {
      case 'field':
        return { type: 'field', pos: node.pos, end, ident: [...node.ident, ...fields] };
      case 'variable':
        return { type: 'variable', pos: node.pos, end, ident: [...node.ident, ...fields] };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        throw new Fail(node.pos, `unexpected . after term ${JSON.stringify(this.textOf(node))}`);
      default:
        return { type: 'chain', pos: node.pos, end, node, field: fields };
    }
  }

  private textOf(n: ArgNode): string {
    switch (n.type) {
      case 'bool':
        return String(n.value);
      case 'string':
        return JSON.stringify(n.value);
      case 'number':
        return n.text;
      case 'nil':
        return 'nil';
      case 'dot':
        return '.';
      default:
        return '';
    }
  }

  private term(): ArgNode | undefined {
    const t = this.nextNonSpace();
    const end = t.pos + t.val.length;
    switch (t.type) {
      case 'identifier':
        if (!this.opts.hasFunction(t.val)) throw new Fail(t.pos, `function ${JSON.stringify(t.val)} not defined`);
        if (this.opts.isAsync?.(t.val)) this.usesAsync = true;
        return { type: 'identifier', pos: t.pos, end, name: t.val };
      case 'dot':
        return { type: 'dot', pos: t.pos, end };
      case 'nil':
        return { type: 'nil', pos: t.pos, end };
      case 'variable': {
        if (!this.vars.includes(t.val)) throw new Fail(t.pos, `undefined variable ${JSON.stringify(t.val)}`);
        return { type: 'variable', pos: t.pos, end, ident: [t.val] };
      }
      case 'field':
        return { type: 'field', pos: t.pos, end, ident: [t.val.slice(1)] };
      case 'bool':
        return { type: 'bool', pos: t.pos, end, value: t.val === 'true' };
      case 'number':
      case 'char': {
        const r = numberNode(t);
        if (typeof r === 'string') throw new Fail(t.pos, r);
        return r;
      }
      case 'leftParen': {
        const p = this.pipeline('parenthesized pipeline', 'rightParen');
        return { ...p, pos: t.pos, end: p.end + 1 };
      }
      case 'string':
      case 'rawString':
        try {
          return { type: 'string', pos: t.pos, end, value: unquote(t.val) };
        } catch {
          throw new Fail(t.pos, `invalid syntax: ${t.val}`);
        }
      default:
        this.i--;
        return undefined;
    }
  }
}

/** Parses `text` into a tree; throws TemplateParseError. */
export function parseTemplate(name: string, text: string, opts: ParseOptions): Tree {
  let toks: Token[];
  try {
    toks = lex(text);
  } catch (e) {
    if (e instanceof LexError) {
      const { line, col } = lineColOf(text, e.pos);
      throw new TemplateParseError(name, e.pos, line, col, e.message);
    }
    throw e;
  }
  const p = new Parser(toks, opts);
  try {
    const root = p.parse();
    return { name, text, root, defines: p.defines, async: p.usesAsync || (opts.parent?.async ?? false), ...(opts.parent ? { parent: opts.parent } : {}) };
  } catch (e) {
    if (e instanceof Fail) {
      const { line, col } = lineColOf(text, e.pos);
      throw new TemplateParseError(name, e.pos, line, col, e.detail);
    }
    throw e;
  }
}

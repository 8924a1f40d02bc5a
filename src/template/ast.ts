/** The parse tree of a Go text/template, shaped like text/template/parse. `pos`/`end` are source offsets. */
export type Node = TextNode | ActionNode | IfNode | RangeNode | WithNode | TemplateNode | BreakNode | ContinueNode;

export interface ListNode {
  readonly nodes: readonly Node[];
}

export interface TextNode {
  readonly type: 'text';
  readonly pos: number;
  readonly text: string;
}

export interface ActionNode {
  readonly type: 'action';
  readonly pos: number;
  readonly pipe: PipeNode;
}

export interface BranchNode {
  readonly pos: number;
  readonly pipe: PipeNode;
  readonly list: ListNode;
  readonly elseList?: ListNode;
}

export interface IfNode extends BranchNode {
  readonly type: 'if';
}

export interface RangeNode extends BranchNode {
  readonly type: 'range';
}

export interface WithNode extends BranchNode {
  readonly type: 'with';
}

export interface TemplateNode {
  readonly type: 'template';
  readonly pos: number;
  readonly name: string;
  readonly pipe?: PipeNode;
}

export interface BreakNode {
  readonly type: 'break';
  readonly pos: number;
}

export interface ContinueNode {
  readonly type: 'continue';
  readonly pos: number;
}

export interface PipeNode {
  readonly type: 'pipe';
  readonly pos: number;
  readonly end: number;
  readonly isAssign: boolean;
  readonly decl: readonly VariableNode[];
  readonly cmds: readonly CommandNode[];
}

export interface CommandNode {
  readonly type: 'command';
  readonly pos: number;
  readonly end: number;
  readonly args: readonly ArgNode[];
}

export type ArgNode =
  | FieldNode
  | VariableNode
  | ChainNode
  | IdentifierNode
  | DotNode
  | NilNode
  | BoolNode
  | NumberNode
  | StringNode
  | PipeNode;

/** `.A.B`: fields of dot. */
export interface FieldNode {
  readonly type: 'field';
  readonly pos: number;
  readonly end: number;
  readonly ident: readonly string[];
}

/** `$x.A.B` (`ident[0]` is the variable's name, `$` for the data root). */
export interface VariableNode {
  readonly type: 'variable';
  readonly pos: number;
  readonly end: number;
  readonly ident: readonly string[];
}

/** `(pipeline).A.B` or `fn.A`: fields of an operand's value. */
export interface ChainNode {
  readonly type: 'chain';
  readonly pos: number;
  readonly end: number;
  readonly node: ArgNode;
  readonly field: readonly string[];
}

export interface IdentifierNode {
  readonly type: 'identifier';
  readonly pos: number;
  readonly end: number;
  readonly name: string;
}

export interface DotNode {
  readonly type: 'dot';
  readonly pos: number;
  readonly end: number;
}

export interface NilNode {
  readonly type: 'nil';
  readonly pos: number;
  readonly end: number;
}

export interface BoolNode {
  readonly type: 'bool';
  readonly pos: number;
  readonly end: number;
  readonly value: boolean;
}

/** A number constant; `isInt` when Go would make it an int (no fraction or exponent). */
export interface NumberNode {
  readonly type: 'number';
  readonly pos: number;
  readonly end: number;
  readonly text: string;
  readonly value: number;
  readonly isInt: boolean;
}

export interface StringNode {
  readonly type: 'string';
  readonly pos: number;
  readonly end: number;
  readonly value: string;
}

/** A parsed template with the templates it `define`s. */
export interface Tree {
  readonly name: string;
  readonly text: string;
  readonly root: ListNode;
  readonly defines: ReadonlyMap<string, ListNode>;
  /** Whether any function it may call returns a promise (then it must be expanded asynchronously). */
  readonly async: boolean;
  /**
   * The templates this one was parsed against (Go's associated templates): `{{ template "x" }}`
   * finds `x` here when the tree itself does not define it. Lookups always start at the
   * executed tree, so a later file's `define` overrides an earlier one's.
   */
  readonly parent?: Tree;
}

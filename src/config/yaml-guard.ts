import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

/**
 * How deep a configuration file may nest (mappings and sequences). Route trees, the deepest
 * part of a real vigil.yml, stay well under ten; everything that reads the file (the YAML
 * library's toJS, zod, the route builder) recurses once per level.
 */
export const MAX_CONFIG_DEPTH = 64;
/** Alias expansions allowed in one file: enough for shared snippets, far short of a "billion laughs" bomb. */
export const MAX_CONFIG_ALIASES = 100;

type Where = (node: { range?: [number, number, number] | null }) => string;

/**
 * Checks a parsed document before it is turned into plain values: nesting depth, aliases to
 * anchors not defined before them, and alias expansion (an alias to a node that itself holds
 * aliases multiplies). Iterative, so it is safe on any depth. Each problem names the line and
 * column; undefined when the document is safe to convert.
 */
export function guardDocument(doc: Document, lineCounter: LineCounter, source: string): string | undefined {
  const where: Where = (n) => {
    const off = n.range?.[0];
    if (off === undefined) return source;
    const p = lineCounter.linePos(off);
    return `${source}:${p.line}:${p.col}`;
  };
  const anchors = new Map<string, Node>();
  /** Each alias's target: the latest anchor of that name before it. */
  const targets = new Map<Node, Node>();
  /** Expanded size of each anchored node in alias expansions (memoized). */
  const expansions = new Map<Node, number>();
  let aliases = 0;
  // Pre-order, document order: an anchor is seen before any alias after it.
  /** Nodes whose whole subtree has been walked: an alias to one that is not is inside it (a cycle). */
  const done = new Set<Node>();
  const stack: Array<{ node: unknown; depth: number; exit?: true }> = [{ node: doc.contents, depth: 1 }];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const { node, depth } = top;
    if (node === null || node === undefined) continue;
    if (top.exit) {
      done.add(node as Node);
      continue;
    }
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (!target) return `${where(node)}: alias *${node.source} refers to no anchor &${node.source} defined before it`;
      if (!done.has(target)) return `${where(node)}: alias *${node.source} is inside the node it refers to (a cycle)`;
      targets.set(node, target);
      aliases += 1 + aliasesInside(target, targets, expansions);
      if (aliases > MAX_CONFIG_ALIASES) {
        return `${where(node)}: more than ${MAX_CONFIG_ALIASES} alias expansions in one file (an alias to a node that holds aliases multiplies them); write the values out or use fewer nested aliases`;
      }
      continue;
    }
    if (isPair(node)) {
      stack.push({ node: node.value, depth }, { node: node.key, depth });
      continue;
    }
    if (depth > MAX_CONFIG_DEPTH) return `${where(node as Node)}: nested deeper than ${MAX_CONFIG_DEPTH} levels`;
    if (isScalar(node) || isMap(node) || isSeq(node)) {
      if (node.anchor) anchors.set(node.anchor, node);
      stack.push({ node, depth, exit: true });
      if (isScalar(node)) continue;
      const items = node.items as unknown[];
      for (let i = items.length - 1; i >= 0; i--) stack.push({ node: items[i], depth: depth + 1 });
    }
  }
  return undefined;
}

/**
 * Alias expansions one copy of `node` brings along: each alias inside it, plus what its
 * target brings. Every alias inside `node` was walked before, so its target's count is
 * memoized and this never recurses more than a level.
 */
function aliasesInside(node: Node, targets: ReadonlyMap<Node, Node>, memo: Map<Node, number>): number {
  const known = memo.get(node);
  if (known !== undefined) return known;
  memo.set(node, 0); // an alias inside its own anchor (a cycle) adds nothing more
  let n = 0;
  const stack: unknown[] = [node];
  for (let x = stack.pop(); x !== undefined; x = stack.pop()) {
    if (x === null) continue;
    if (isAlias(x)) {
      const t = targets.get(x);
      n += 1 + (t ? aliasesInside(t, targets, memo) : 0);
      continue;
    }
    if (isPair(x)) stack.push(x.key, x.value);
    else if (isMap(x) || isSeq(x)) for (const it of x.items as unknown[]) stack.push(it);
  }
  memo.set(node, n);
  return n;
}

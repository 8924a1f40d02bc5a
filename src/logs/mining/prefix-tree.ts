import { WILDCARD } from './masking.js';
import { keyOf } from './template-merge.js';

/**
 * Drain's fixed-depth routing tree: token count, then the first `prefixTokens` tokens. A
 * token holding a digit, or a partly-masked token, routes through the `<*>` child, and so
 * does any token once a node has `maxChildren` children; a `key=value` token can route by its
 * key. Leaves hold the candidate clusters
 * (opaque here) that similarity then chooses among.
 */
export interface Leaf<T, X = never> {
  readonly route: readonly string[];
  /** In the order they were added. */
  items: T[];
  /** What the user of the tree keeps per leaf (the miner: an index of its clusters). */
  ext?: X;
}

interface Node<T, X> {
  children: Map<string, Node<T, X>>;
  leaf?: Leaf<T, X>;
}

export class PrefixTree<T, X = never> {
  private readonly roots = new Map<number, Node<T, X>>();

  /**
   * @param byKey route a `key=value` token by its key (`user=<*>`), as the miner counts two
   *   values of one key as agreeing.
   */
  constructor(
    private readonly prefixTokens: number,
    private readonly maxChildren: number,
    private readonly byKey = false,
  ) {}

  /** The routing keys of a token sequence (what `leafFor` follows). */
  routeOf(tokens: readonly string[]): string[] {
    const depth = Math.min(this.prefixTokens, tokens.length);
    const route: string[] = [];
    for (let i = 0; i < depth; i++) route.push(routeKey(tokens[i] as string, this.byKey));
    return route;
  }

  /** The leaf a line would reach, or undefined when no cluster was ever routed there. */
  find(tokens: readonly string[]): Leaf<T, X> | undefined {
    let node = this.roots.get(tokens.length);
    const depth = Math.min(this.prefixTokens, tokens.length);
    for (let i = 0; i < depth && node; i++) {
      const key = routeKey(tokens[i] as string, this.byKey);
      node = node.children.get(key) ?? node.children.get(WILDCARD);
    }
    return node?.leaf;
  }

  /** The leaf for a new cluster, creating nodes (or falling back to `<*>` when a node is full). */
  leafFor(length: number, route: readonly string[]): Leaf<T, X> {
    let node: Node<T, X> | undefined = this.roots.get(length);
    if (!node) {
      node = { children: new Map() };
      this.roots.set(length, node);
    }
    const actual: string[] = [];
    for (const key of route) {
      let next: Node<T, X> | undefined = node.children.get(key);
      let used = key;
      if (!next) {
        if (node.children.size + 1 < this.maxChildren || key === WILDCARD) {
          next = { children: new Map() };
          node.children.set(key, next);
        } else {
          used = WILDCARD;
          next = node.children.get(WILDCARD);
          if (!next) {
            next = { children: new Map() };
            node.children.set(WILDCARD, next);
          }
        }
      }
      actual.push(used);
      node = next;
    }
    node.leaf ??= { route: actual, items: [] };
    return node.leaf;
  }
}

function routeKey(token: string, byKey: boolean): string {
  if (byKey) {
    const key = keyOf(token);
    if (key !== undefined) return key + WILDCARD;
  }
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c >= 48 && c <= 57) return WILDCARD;
  }
  return token.includes(WILDCARD) ? WILDCARD : token;
}

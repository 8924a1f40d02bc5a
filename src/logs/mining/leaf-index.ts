import { WILDCARD } from './masking.js';
import { digitShape, keyOf } from './template-merge.js';

/**
 * What the index needs of a cluster: its template tokens, the words that split it at tracked
 * positions, and room for its own bookkeeping.
 */
export interface Indexable {
  readonly tokens: readonly string[];
  readonly tracked: ReadonlyMap<number, ReadonlyMap<string, number> | null>;
  /** Where the cluster is filed, as (table, key) pairs one after the other; owned by LeafIndex. */
  postings: unknown[] | undefined;
  /** Stamp of the last lookup that counted it a candidate; owned by LeafIndex. */
  mark: number;
}

/** Key → the clusters filed under it: one cluster as itself (most keys), more as a Set. */
type Table<T> = Map<string, T | Set<T>>;

/**
 * An inverted index of the clusters at one prefix-tree leaf, so that a line is compared only
 * with clusters it could join instead of with every cluster of the leaf (a leaf of lines that
 * share no template grows with every line, and scanning it made ingest quadratic).
 *
 * A line of n tokens joins a cluster only if they agree in at least m positions (m/n ≥ the
 * similarity threshold), so they disagree in at most n − m; among any n − m + 1 positions
 * they therefore agree in at least one. Agreement at position i means one of: equal tokens;
 * a partly-constant template token covering the line token (same first character, or a
 * template token starting with `<*>`); the line token being a word that splits the cluster
 * there. Each cluster is filed under the keys that make these cheap to look up, and a
 * lookup takes the union of the postings of the n − m + 1 most selective positions: a
 * superset of the clusters that can reach the threshold, which the caller then scores
 * exactly. The answer is the same as a full scan's.
 */
export class LeafIndex<T extends Indexable> {
  /** Per position: template token (or split word) → clusters. */
  private readonly exact: Table<T>[] = [];
  /** Per position: first character of a partly-constant template token ('' for `<*>…`) → clusters. */
  private readonly partial: Table<T>[] = [];
  /** Per position: key of a literal `key=value`-like token, and digit shape of a numbered name (see `sameVariable`). */
  private readonly keys: Table<T>[] = [];
  private readonly shapes: Table<T>[] = [];
  private stamp = 0;
  /** Per-lookup scratch (positions' costs, their order, tokens' keys and shapes), reused. */
  private cost: number[] = [];
  private order: number[] = [];
  private keyOfToken: (string | undefined)[] = [];
  private shapeOfToken: (string | undefined)[] = [];

  constructor(private readonly length: number) {
    for (let i = 0; i < length; i++) {
      this.exact.push(new Map());
      this.partial.push(new Map());
      this.keys.push(new Map());
      this.shapes.push(new Map());
    }
  }

  private grow(n: number): void {
    this.cost = new Array<number>(n).fill(0);
    this.order = new Array<number>(n).fill(0);
    this.keyOfToken = new Array<string | undefined>(n).fill(undefined);
    this.shapeOfToken = new Array<string | undefined>(n).fill(undefined);
  }

  add(c: T): void {
    const postings: unknown[] = [];
    for (let i = 0; i < this.length; i++) {
      const t = c.tokens[i] as string;
      const exact = this.exact[i] as Table<T>;
      if (isPartial(t)) file(c, postings, this.partial[i] as Table<T>, t.startsWith(WILDCARD) ? '' : (t[0] as string));
      else {
        file(c, postings, exact, t);
        if (t !== WILDCARD) {
          const key = keyOf(t);
          if (key !== undefined) file(c, postings, this.keys[i] as Table<T>, key);
          const shape = digitShape(t);
          if (shape !== undefined) file(c, postings, this.shapes[i] as Table<T>, shape);
        }
      }
      const words = c.tracked.size > 0 ? c.tracked.get(i) : undefined;
      if (words) for (const w of words.keys()) if (w !== t) file(c, postings, exact, w);
    }
    c.postings = postings;
  }

  remove(c: T): void {
    const postings = c.postings;
    if (!postings) return;
    for (let k = 0; k < postings.length; k += 2) {
      const table = postings[k] as Table<T>;
      const key = postings[k + 1] as string;
      const entry = table.get(key);
      if (entry === c) table.delete(key);
      else if (entry instanceof Set) {
        entry.delete(c);
        if (entry.size === 1) table.set(key, entry.values().next().value as T);
      }
    }
    c.postings = undefined;
  }

  /** Files the cluster again after its template or split words changed. */
  update(c: T): void {
    this.remove(c);
    this.add(c);
  }

  /**
   * The clusters that may agree with `tokens` in at least `minAgree` positions, or undefined
   * when the index would not narrow the search below `scanCost` (then scan everything).
   */
  candidates(tokens: readonly string[], minAgree: number, scanCost: number): T[] | undefined {
    const n = tokens.length;
    const probes = n - minAgree + 1;
    if (minAgree <= 0 || probes >= n) return undefined;
    if (this.cost.length < n) this.grow(n);
    const { cost, order, keyOfToken, shapeOfToken } = this;
    let unfiled = 0;
    for (let i = 0; i < n; i++) {
      const s = tokens[i] as string;
      let size = sizeOf((this.exact[i] as Table<T>).get(s));
      const partial = this.partial[i] as Table<T>;
      if (partial.size > 0) size += sizeOf(partial.get('')) + (s.length > 0 ? sizeOf(partial.get(s[0] as string)) : 0);
      keyOfToken[i] = undefined;
      shapeOfToken[i] = undefined;
      if ((this.keys[i] as Table<T>).size > 0) {
        const k = (keyOfToken[i] = keyOf(s));
        if (k !== undefined) size += sizeOf((this.keys[i] as Table<T>).get(k));
      }
      if ((this.shapes[i] as Table<T>).size > 0) {
        const k = (shapeOfToken[i] = digitShape(s));
        if (k !== undefined) size += sizeOf((this.shapes[i] as Table<T>).get(k));
      }
      // `probes` positions where no cluster can agree: the cheapest probes are these, and their
      // union is empty. (A line that shares no template — a flood of them — ends here.)
      if (size === 0 && ++unfiled >= probes) return [];
      cost[i] = size;
      order[i] = i;
    }
    sortByCost(order, cost, n);
    let total = 0;
    for (let k = 0; k < probes; k++) total += cost[order[k] as number] as number;
    if (total >= scanCost) return undefined;
    const stamp = ++this.stamp;
    const out: T[] = [];
    for (let k = 0; k < probes; k++) {
      const i = order[k] as number;
      if (cost[i] === 0) continue;
      const s = tokens[i] as string;
      take(out, stamp, (this.exact[i] as Table<T>).get(s));
      const partial = this.partial[i] as Table<T>;
      if (partial.size > 0) {
        take(out, stamp, partial.get(''));
        if (s.length > 0) take(out, stamp, partial.get(s[0] as string));
      }
      const key = keyOfToken[i];
      if (key !== undefined) take(out, stamp, (this.keys[i] as Table<T>).get(key));
      const shape = shapeOfToken[i];
      if (shape !== undefined) take(out, stamp, (this.shapes[i] as Table<T>).get(shape));
    }
    return out;
  }
}

/** Orders positions [0, n) by ascending cost: insertion sort, as lines have few tokens. */
function sortByCost(order: number[], cost: readonly number[], n: number): void {
  if (n > 64) {
    const head = order.slice(0, n).sort((a, b) => (cost[a] as number) - (cost[b] as number));
    for (let i = 0; i < n; i++) order[i] = head[i] as number;
    return;
  }
  for (let i = 1; i < n; i++) {
    const x = order[i] as number;
    const cx = cost[x] as number;
    let j = i - 1;
    while (j >= 0 && (cost[order[j] as number] as number) > cx) {
      order[j + 1] = order[j] as number;
      j--;
    }
    order[j + 1] = x;
  }
}

function sizeOf<T>(entry: T | Set<T> | undefined): number {
  return entry === undefined ? 0 : entry instanceof Set ? entry.size : 1;
}

function file<T extends Indexable>(c: T, postings: unknown[], table: Table<T>, key: string): void {
  const entry = table.get(key);
  if (entry === undefined) table.set(key, c);
  else if (entry instanceof Set) entry.add(c);
  else if (entry !== c) table.set(key, new Set([entry, c]));
  postings.push(table, key);
}

/** Adds the clusters of `entry` not yet stamped by this lookup. */
function take<T extends Indexable>(out: T[], stamp: number, entry: T | Set<T> | undefined): void {
  if (entry === undefined) return;
  if (entry instanceof Set) {
    for (const c of entry) {
      if (c.mark === stamp) continue;
      c.mark = stamp;
      out.push(c);
    }
  } else if (entry.mark !== stamp) {
    entry.mark = stamp;
    out.push(entry);
  }
}

/** A template token that can cover other tokens (see `tokenCovers`): holds `<*>` but is not just `<*>`. */
function isPartial(t: string): boolean {
  return t !== WILDCARD && t.length > 3 && t.includes(WILDCARD);
}

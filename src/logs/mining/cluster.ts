import type { LeafIndex } from './leaf-index.js';
import { WILDCARD } from './masking.js';
import type { Leaf } from './prefix-tree.js';
import { RULES } from './rules.js';
import { sameVariable } from './template-merge.js';

export type ClusterLeaf = Leaf<Cluster, LeafIndex<Cluster>>;

/**
 * A Drain cluster: lines of one token count that the similarity test put together. Its
 * `tokens` are the Drain template (every position where lines differed is `<*>`-ed).
 *
 * Brain's observation refines it: a position where the lines differ in only a few words
 * (`stored as bytes` / `stored as values`, `Failed password` / `Failed none`) is a constant of
 * a few different messages, while a variable soon shows many values. So positions where two
 * literal words met are *tracked*: while they have seen at most `maxSplitValues` distinct
 * words they split the cluster into patterns, one per combination of words; past that they
 * become an ordinary `<*>` (for good) and the patterns they separated merge.
 */
export interface Cluster {
  tokens: string[];
  /** Tokens holding `<*>`: on a similarity tie the more general cluster wins. */
  wildcards: number;
  /** Tracked positions: word → lines, or null once the position proved variable. */
  tracked: Map<number, Map<string, number> | null>;
  /** Patterns by key (their words at the splitting positions). */
  patterns: Map<string, Pattern>;
  /** Lines it took (all its patterns). */
  count: number;
  /** Cache of `splitPositions`, reset when tracking changes. */
  positions: number[] | undefined;
  readonly leaf: ClusterLeaf;
  /** Creation order within the miner: on a full tie the older cluster wins. */
  readonly order: number;
  /** LeafIndex bookkeeping (see leaf-index.ts). */
  postings: unknown[] | undefined;
  mark: number;
  /** SkeletonIndex bookkeeping (see cross-length.ts). */
  skeleton: string | undefined;
  /**
   * Set when the cluster's lines are another length's message (see cross-length.ts): they
   * count on that pattern, and the cluster has no patterns of its own.
   */
  forward: Pattern | undefined;
}

/** What users see as a pattern: a cluster, narrowed by its words at the splitting positions. */
export interface Pattern {
  readonly id: string;
  readonly cluster: Cluster;
  /** Position → word, for every splitting position of the cluster. */
  fixed: Map<number, string>;
  template: string;
  count: number;
  firstSeen: number;
  lastSeen: number;
  samples: string[];
  /** [bucket start ms, count], oldest first. */
  buckets: [number, number][];
  /** Line sequence number of the last line it took (recency for eviction). */
  lastSeq: number;
  /** Ids of patterns merged into this one; they resolve to it. */
  aliases: string[];
  /** Clusters of other token counts whose lines count on this pattern. */
  forwarders: Cluster[];
}

export interface TrackEvents {
  /** Positions that started splitting (their earlier word is in every existing pattern). */
  readonly started: readonly [position: number, earlier: string][];
  /** Positions that just proved variable. */
  readonly ended: readonly number[];
  /** A tracked position learned another splitting word (the patterns stay as they are). */
  readonly grew: boolean;
}

const NO_EVENTS: TrackEvents = { started: [], ended: [], grew: false };

/** Records a joining line's words at tracked positions and starts tracking new word/word differences. */
export function trackLine(c: Cluster, tokens: readonly string[], maxValues: number, rules: number): TrackEvents {
  if (maxValues < 2) return NO_EVENTS;
  let started: [number, string][] | undefined;
  let ended: number[] | undefined;
  let grew = false;
  const anyTracked = c.tracked.size > 0;
  for (let i = 0; i < tokens.length; i++) {
    const s = tokens[i] as string;
    const t = c.tokens[i] as string;
    // A tracked position's template token is `<*>`, so only a masked `<*>` can equal it there.
    if (t === s && !(anyTracked && s === WILDCARD)) continue;
    const seen = anyTracked ? c.tracked.get(i) : undefined;
    if (seen === null) continue;
    if (seen !== undefined) {
      const n = seen.get(s);
      if (n !== undefined) seen.set(s, n + 1);
      else if (s.includes(WILDCARD) || seen.size >= maxValues) {
        c.tracked.set(i, null);
        (ended ??= []).push(i);
      } else {
        seen.set(s, 1);
        grew = true;
      }
      continue;
    }
    // One variable (`user=root`/`user=bob`, `eth0`/`eth1`): never a split.
    if (t.includes(WILDCARD) || s.includes(WILDCARD) || isKeyValuePair(t, s) || sameVariable(t, s, rules)) continue;
    // A word between two values is part of a value written in several tokens (`<*> Jul <*>`).
    if (rules & RULES.betweenValues && i > 0 && i < tokens.length - 1 && (c.tokens[i - 1] as string).includes(WILDCARD) && (c.tokens[i + 1] as string).includes(WILDCARD)) continue;
    c.tracked.set(
      i,
      new Map([
        [t, c.count],
        [s, 1],
      ]),
    );
    (started ??= []).push([i, t]);
  }
  if (!started && !ended) return grew ? { started: [], ended: [], grew } : NO_EVENTS;
  c.positions = undefined;
  return { started: started ?? [], ended: ended ?? [], grew };
}

/** `user=root` / `user=admin`: the value of a key=value pair is a variable, never a split. */
function isKeyValuePair(a: string, b: string): boolean {
  const i = a.indexOf('=');
  return i > 0 && i < a.length - 1 && b.startsWith(a.slice(0, i + 1));
}

/** Whether a line's token at tracked position i is one of the words that split the cluster there. */
export function isSplitWord(c: Cluster, i: number, token: string): boolean {
  const seen = c.tracked.get(i);
  return seen !== undefined && seen !== null && seen.has(token);
}

/** The splitting positions, ascending. */
export function splitPositions(c: Cluster): number[] {
  if (c.positions) return c.positions;
  const out: number[] = [];
  for (const [i, seen] of c.tracked) if (seen) out.push(i);
  c.positions = out.sort((a, b) => a - b);
  return c.positions;
}

/** The key of the pattern a line with these tokens belongs to. */
export function keyOfTokens(positions: readonly number[], tokens: readonly string[]): string {
  if (positions.length === 0) return '';
  let key = '';
  for (const i of positions) key += `${i}\u0000${tokens[i] as string}\u0001`;
  return key;
}

export function keyOfPattern(positions: readonly number[], p: Pattern): string {
  let key = '';
  for (const i of positions) key += `${i}\u0000${p.fixed.get(i) ?? ''}\u0001`;
  return key;
}

export function templateOf(c: Cluster, fixed: ReadonlyMap<number, string>): string {
  if (fixed.size === 0) return c.tokens.join(' ');
  return c.tokens.map((t, i) => fixed.get(i) ?? t).join(' ');
}

export function countWildcards(tokens: readonly string[]): number {
  let n = 0;
  for (const t of tokens) if (t.includes(WILDCARD)) n++;
  return n;
}

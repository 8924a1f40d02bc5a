import { collapseDates, collapseUnits, maskToken, splitTokens, tokenizeMasked } from './masking.js';
import { PrefixTree } from './prefix-tree.js';
import { LeafIndex } from './leaf-index.js';
import { mergeInto, similarity } from './template-merge.js';
import { patternIdFor } from './pattern-id.js';
import { restoreSnapshot, snapshotOf } from './snapshot.js';
import type { MinerSnapshot } from './snapshot.js';
import {
  countWildcards,
  isSplitWord,
  keyOfPattern,
  keyOfTokens,
  splitPositions,
  templateOf,
  trackLine,
} from './cluster.js';
import type { Cluster, ClusterLeaf, Pattern, TrackEvents } from './cluster.js';
import { TokenCache } from './token-cache.js';
import { mergePatterns, recordLine } from './pattern-stats.js';
import { pushAll } from '../../model/arrays.js';

export interface MinerOptions {
  /** Share of agreeing positions needed to join a cluster (Drain's `st`). */
  readonly similarity?: number;
  /** Drain's tree depth: lines are routed by their first `depth - 3` tokens (at least 1). */
  readonly depth?: number;
  readonly maxChildren?: number;
  /**
   * A position where lines differ in at most this many distinct words splits them into
   * separate patterns; one more distinct word makes it a `<*>`. 0 or 1: never split (Drain).
   */
  readonly maxSplitValues?: number;
  /** Patterns kept in memory; beyond it the rarest, least recently seen are evicted. */
  readonly maxPatterns?: number;
  readonly maxSamples?: number;
  /** Width of a count-over-time bucket, and how many recent buckets a pattern keeps. */
  readonly bucketMs?: number;
  readonly maxBuckets?: number;
  /** Default masking of numbers, hex, IPs, paths and friends; off = classic Drain tokens. */
  readonly mask?: boolean;
  /** Extra preprocessing of each line before tokenising (e.g. per-source regexes → `<*>`). */
  readonly preprocess?: (line: string) => string;
  /** Time of a line added without one (ms). */
  readonly now?: () => number;
}

export interface AddResult {
  readonly patternId: string;
  readonly template: string;
  readonly isNew: boolean;
}

export interface PatternInfo {
  readonly id: string;
  readonly template: string;
  readonly count: number;
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly samples: readonly string[];
  /** [bucket start (ms), count] for the most recent buckets, oldest first. */
  readonly buckets: readonly (readonly [number, number])[];
}

export const DEFAULT_MINER_OPTIONS = {
  similarity: 0.75,
  depth: 4,
  maxChildren: 100,
  maxSplitValues: 2,
  maxPatterns: 20_000,
  maxSamples: 3,
  bucketMs: 60_000,
  maxBuckets: 60,
  mask: true,
} as const;

export type MinerSettings = { -readonly [K in keyof typeof DEFAULT_MINER_OPTIONS]: (typeof DEFAULT_MINER_OPTIONS)[K] extends boolean ? boolean : number };

/**
 * Online template miner (Drain family, with Brain-style splitting). Each line is masked,
 * routed through a fixed-depth prefix tree by token count and leading tokens, and joins the
 * most similar cluster at its leaf or starts a new one; joining generalises the differing
 * positions to `<*>`, except where a few distinct words mark different messages (see
 * cluster.ts). Pattern ids are fixed at creation (hash of the first template) and survive
 * template refinement and snapshot/restore; when patterns merge, the absorbed ids stay valid
 * as aliases of the surviving one.
 */
export class Miner {
  readonly settings: Readonly<MinerSettings>;
  private readonly preprocess: ((line: string) => string) | undefined;
  private readonly now: () => number;
  private readonly tree: PrefixTree<Cluster, LeafIndex<Cluster>>;
  private readonly byId = new Map<string, Pattern>();
  private readonly aliases = new Map<string, string>();
  private readonly cache = new TokenCache(maskToken, 50_000);
  private readonly maskCached = (token: string) => this.cache.get(token);
  private seq = 0;
  private clusterSeq = 0;
  private compared = 0;
  private evictions = 0;

  constructor(options: MinerOptions = {}) {
    const s: MinerSettings = { ...DEFAULT_MINER_OPTIONS };
    for (const k of Object.keys(DEFAULT_MINER_OPTIONS) as (keyof MinerSettings)[]) {
      const v = options[k];
      if (v !== undefined) (s as Record<string, unknown>)[k] = v;
    }
    validate(s);
    this.settings = s;
    this.preprocess = options.preprocess;
    this.now = options.now ?? Date.now;
    this.tree = new PrefixTree(Math.max(1, s.depth - 3), s.maxChildren);
  }

  /** The masked tokens the miner clusters a line by. */
  tokenize(line: string): string[] {
    const text = this.preprocess ? this.preprocess(line) : line;
    if (!this.settings.mask) return splitTokens(text);
    return collapseUnits(collapseDates(tokenizeMasked(text, this.maskCached)));
  }

  add(line: string, t?: number): AddResult {
    const time = t ?? this.now();
    const tokens = this.tokenize(line);
    this.seq++;
    const leaf = this.tree.find(tokens);
    const cluster = leaf ? this.bestMatch(leaf, tokens) : undefined;
    let pattern: Pattern | undefined;
    let isNew = false;
    if (cluster) {
      const events = trackLine(cluster, tokens, this.settings.maxSplitValues);
      const changed = mergeInto(cluster.tokens, tokens);
      if (changed) cluster.wildcards = countWildcards(cluster.tokens);
      if (changed || events.grew || events.started.length || events.ended.length) cluster.leaf.ext?.update(cluster);
      if (events.started.length || events.ended.length) this.resplit(cluster, events);
      else if (changed) for (const p of cluster.patterns.values()) p.template = templateOf(cluster, p.fixed);
      const key = keyOfTokens(splitPositions(cluster), tokens);
      pattern = cluster.patterns.get(key);
      if (!pattern) {
        pattern = this.newPattern(cluster, key, tokens, time);
        isNew = true;
      }
    } else {
      const c = this.newCluster(tokens.slice(), new Map(), this.tree.leafFor(tokens.length, this.tree.routeOf(tokens)));
      pattern = this.newPattern(c, '', tokens, time);
      isNew = true;
    }
    pattern.cluster.count++;
    recordLine(pattern, line, time, this.seq, this.settings);
    if (isNew && this.byId.size > this.settings.maxPatterns) this.evict();
    return { patternId: pattern.id, template: pattern.template, isNew };
  }

  private newCluster(tokens: string[], tracked: Cluster['tracked'], leaf: ClusterLeaf): Cluster {
    const c: Cluster = {
      tokens,
      wildcards: countWildcards(tokens),
      tracked,
      patterns: new Map(),
      count: 0,
      positions: undefined,
      leaf,
      order: this.clusterSeq++,
      postings: undefined,
      mark: 0,
    };
    leaf.items.push(c);
    if (leaf.ext) leaf.ext.add(c);
    else if (leaf.items.length > INDEX_FROM) {
      const index = new LeafIndex<Cluster>(tokens.length);
      for (const x of leaf.items) index.add(x);
      leaf.ext = index;
    }
    return c;
  }

  /**
   * The most similar cluster of the leaf, if similar enough: a leaf of more than a few
   * clusters is searched through its index (same answer, without comparing the line with
   * clusters it cannot join), so the work per line does not grow with the clusters mined.
   */
  private bestMatch(leaf: ClusterLeaf, tokens: readonly string[]): Cluster | undefined {
    const candidates = leaf.ext?.candidates(tokens, minAgreement(tokens.length, this.settings.similarity), leaf.items.length) ?? leaf.items;
    let best: Cluster | undefined;
    let bestSim = -1;
    this.compared += candidates.length;
    for (const c of candidates) {
      const known = c.tracked.size > 0 ? (i: number, s: string) => isSplitWord(c, i, s) : undefined;
      const sim = similarity(c.tokens, tokens, known);
      // Ties: the more general cluster, then the older one (what a scan in leaf order picks).
      if (sim > bestSim || (sim === bestSim && best && (c.wildcards > best.wildcards || (c.wildcards === best.wildcards && c.order < best.order)))) {
        best = c;
        bestSim = sim;
      }
    }
    return best && bestSim >= this.settings.similarity ? best : undefined;
  }

  /** Work counters (what a test can bound): lines added, clusters compared with them, eviction rounds. */
  stats(): { readonly lines: number; readonly comparisons: number; readonly evictions: number } {
    return { lines: this.seq, comparisons: this.compared, evictions: this.evictions };
  }

  private newPattern(c: Cluster, key: string, tokens: readonly string[], time: number): Pattern {
    const fixed = new Map<number, string>();
    for (const i of splitPositions(c)) fixed.set(i, tokens[i] as string);
    const template = templateOf(c, fixed);
    const id = patternIdFor(template, (x) => this.byId.has(x) || this.aliases.has(x));
    const p: Pattern = {
      id,
      cluster: c,
      fixed,
      template,
      count: 0,
      firstSeen: time,
      lastSeen: time,
      samples: [],
      buckets: [],
      lastSeq: this.seq,
      aliases: [],
    };
    c.patterns.set(key, p);
    this.byId.set(id, p);
    return p;
  }

  /** Re-keys a cluster's patterns after splitting positions started or ended, merging those that now coincide. */
  private resplit(c: Cluster, events: TrackEvents): void {
    const positions = splitPositions(c);
    const old = [...c.patterns.values()];
    c.patterns.clear();
    for (const p of old) {
      for (const [i, word] of events.started) p.fixed.set(i, word);
      for (const i of events.ended) p.fixed.delete(i);
      const key = keyOfPattern(positions, p);
      const other = c.patterns.get(key);
      if (!other) {
        c.patterns.set(key, p);
        continue;
      }
      const [keep, gone] = other.count >= p.count ? [other, p] : [p, other];
      mergePatterns(keep, gone, this.settings);
      this.byId.delete(gone.id);
      for (const a of [gone.id, ...gone.aliases]) this.aliases.set(a, keep.id);
      keep.aliases.push(gone.id);
      pushAll(keep.aliases, gone.aliases);
      c.patterns.set(key, keep);
    }
    for (const p of c.patterns.values()) p.template = templateOf(c, p.fixed);
  }

  /**
   * Drops whole clusters, least valuable first, until a tenth under the limit: weight is the
   * count decayed by how long ago (in lines) the cluster was last seen, so rare and stale go
   * first. Ids of evicted patterns (and their aliases) stop resolving. A round costs
   * O(patterns · log patterns) and frees a tenth of the limit, so per new pattern it is
   * O(log patterns).
   */
  private evict(): void {
    this.evictions++;
    const halfLife = this.settings.maxPatterns * 10;
    const weight = new Map<Cluster, number>();
    for (const p of this.byId.values()) {
      const w = p.count * Math.pow(2, -(this.seq - p.lastSeq) / halfLife);
      weight.set(p.cluster, (weight.get(p.cluster) ?? 0) + w);
    }
    const order = [...weight].sort((a, b) => a[1] - b[1]).map((e) => e[0]);
    const target = Math.floor(this.settings.maxPatterns * 0.9);
    const gone = new Set<Cluster>();
    for (const c of order) {
      if (this.byId.size <= target) break;
      for (const p of c.patterns.values()) {
        this.byId.delete(p.id);
        for (const a of p.aliases) this.aliases.delete(a);
      }
      c.leaf.ext?.remove(c);
      gone.add(c);
    }
    // One pass per leaf touched, not one search per evicted cluster.
    const leaves = new Set<ClusterLeaf>();
    for (const c of gone) leaves.add(c.leaf);
    for (const leaf of leaves) leaf.items = leaf.items.filter((c) => !gone.has(c));
  }

  private lookup(id: string): Pattern | undefined {
    return this.byId.get(id) ?? this.byId.get(this.aliases.get(id) ?? '');
  }

  /** The current template of a pattern (following merges), or undefined once evicted. */
  templateOf(id: string): string | undefined {
    return this.lookup(id)?.template;
  }

  /** A pattern's current state (following merges: the id may be the surviving one), or undefined once evicted. */
  pattern(id: string): PatternInfo | undefined {
    const p = this.lookup(id);
    return p ? info(p) : undefined;
  }

  patterns(): PatternInfo[] {
    return [...this.byId.values()].map(info);
  }

  get size(): number {
    return this.byId.size;
  }

  snapshot(): MinerSnapshot {
    const clusters = new Set<Cluster>();
    for (const p of this.byId.values()) clusters.add(p.cluster);
    return snapshotOf(this.settings, this.seq, clusters);
  }

  /** Rebuilds a miner from `snapshot()` output; options not in the snapshot (preprocess, now) come from `options`. */
  static restore(snapshot: unknown, options: Pick<MinerOptions, 'preprocess' | 'now'> = {}): Miner {
    const data = restoreSnapshot(snapshot);
    const miner = new Miner({ ...data.settings, ...options });
    miner.seq = data.seq;
    for (const sc of data.clusters) {
      const tracked: Cluster['tracked'] = new Map(sc.tracked.map(([i, words]) => [i, words === null ? null : new Map(words)]));
      const c = miner.newCluster(sc.tokens.slice(), tracked, miner.tree.leafFor(sc.tokens.length, sc.route));
      c.count = sc.patterns.reduce((n, p) => n + p.count, 0);
      const positions = splitPositions(c);
      for (const sp of sc.patterns) {
        const p: Pattern = { ...sp, cluster: c, fixed: new Map(sp.fixed), template: '', samples: sp.samples.slice(), buckets: sp.buckets.map((b) => [b[0], b[1]]), aliases: sp.aliases.slice() };
        p.template = templateOf(c, p.fixed);
        c.patterns.set(keyOfPattern(positions, p), p);
        miner.byId.set(p.id, p);
        for (const a of p.aliases) miner.aliases.set(a, p.id);
      }
    }
    return miner;
  }
}

/** Clusters a leaf holds before it is searched through an index instead of scanned. */
const INDEX_FROM = 16;

/** The fewest agreeing positions out of n that reach the similarity threshold (same / n ≥ st). */
export function minAgreement(n: number, st: number): number {
  if (n === 0) return 0;
  let m = Math.ceil(st * n);
  while (m > 0 && (m - 1) / n >= st) m--;
  while (m <= n && m / n < st) m++;
  return m;
}

function info(p: Pattern): PatternInfo {
  return {
    id: p.id,
    template: p.template,
    count: p.count,
    firstSeen: p.firstSeen,
    lastSeen: p.lastSeen,
    samples: p.samples.slice(),
    buckets: p.buckets.map((b) => [b[0], b[1]] as const),
  };
}

function validate(s: MinerSettings): void {
  const bad = (what: string) => {
    throw new RangeError(`miner option ${what}`);
  };
  const int = (v: number, min: number) => Number.isInteger(v) && v >= min;
  if (!(s.similarity >= 0 && s.similarity <= 1)) bad(`similarity must be within [0, 1], got ${s.similarity}`);
  if (!int(s.depth, 3)) bad(`depth must be an integer >= 3, got ${s.depth}`);
  if (!int(s.maxChildren, 2)) bad(`maxChildren must be an integer >= 2, got ${s.maxChildren}`);
  if (!int(s.maxSplitValues, 0)) bad(`maxSplitValues must be a non-negative integer, got ${s.maxSplitValues}`);
  if (!int(s.maxPatterns, 1)) bad(`maxPatterns must be a positive integer, got ${s.maxPatterns}`);
  if (!int(s.maxSamples, 0)) bad(`maxSamples must be a non-negative integer, got ${s.maxSamples}`);
  if (!(s.bucketMs > 0)) bad(`bucketMs must be positive, got ${s.bucketMs}`);
  if (!int(s.maxBuckets, 1)) bad(`maxBuckets must be a positive integer, got ${s.maxBuckets}`);
  if (typeof s.mask !== 'boolean') bad(`mask must be a boolean, got ${String(s.mask)}`);
}

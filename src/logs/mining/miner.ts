import { collapseDates, collapseUnits } from './collapse.js';
import { maskTokenWith, splitTokens, tokenizeMasked } from './masking.js';
import { RULES, ruleSet } from './rules.js';
import { PrefixTree } from './prefix-tree.js';
import { LeafIndex } from './leaf-index.js';
import { SkeletonIndex } from './cross-length.js';
import { mergeInto, similarity } from './template-merge.js';
import { patternIdFor } from './pattern-id.js';
import { SnapshotError, restoreSnapshot, snapshotOf } from './snapshot.js';
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
import { DEFAULT_MINER_OPTIONS, DEFAULT_NEW_PATTERNS, info, UNMINED_PATTERN_ID, UNMINED_TEMPLATE, validate } from './miner-options.js';
import type { AddResult, MinerOptions, MinerSettings, PatternInfo } from './miner-options.js';

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
  private readonly skeletons = new SkeletonIndex<Cluster>();
  private readonly byId = new Map<string, Pattern>();
  private readonly aliases = new Map<string, string>();
  private readonly rules: number;
  private readonly cache: TokenCache;
  private readonly maskCached = (token: string) => this.cache.get(token);
  private seq = 0;
  private clusterSeq = 0;
  private compared = 0;
  private evictions = 0;
  private unmined = 0;
  /** New-pattern budget (token bucket, see MinerOptions.newPatterns). */
  private readonly budget: { readonly burst: number; readonly perMs: number };
  private tokens: number;
  private refilledAt: number | undefined;

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
    const np = options.newPatterns ?? DEFAULT_NEW_PATTERNS;
    if (!(np.burst >= 1) || !(np.perSecond >= 0)) throw new Error(`newPatterns needs burst >= 1 and perSecond >= 0, got ${np.burst} and ${np.perSecond}`);
    this.budget = { burst: np.burst, perMs: np.perSecond / 1000 };
    this.tokens = np.burst;
    const rules = ruleSet(options.rules);
    this.rules = rules;
    this.cache = new TokenCache((t) => maskTokenWith(t, rules), 50_000);
    this.tree = new PrefixTree(s.depth - 3, s.maxChildren, (rules & RULES.keyValues) !== 0);
  }

  /** The masked tokens the miner clusters a line by. */
  tokenize(line: string): string[] {
    const text = this.preprocess ? this.preprocess(line) : line;
    if (!this.settings.mask) return splitTokens(text);
    let tokens = tokenizeMasked(text, this.maskCached, this.rules);
    if (this.rules & RULES.dates) tokens = collapseDates(tokens);
    tokens = collapseUnits(tokens, this.rules);
    return tokens;
  }

  add(line: string, t?: number): AddResult {
    const time = t ?? this.now();
    const tokens = this.tokenize(line);
    this.seq++;
    const leaf = this.tree.find(tokens);
    const cluster = leaf ? this.bestMatch(leaf, tokens) : undefined;
    if (!cluster && !this.mayCreate()) return this.notMined();
    let pattern: Pattern | undefined;
    let isNew = false;
    let home: Cluster;
    if (cluster) {
      home = cluster;
      const events = trackLine(cluster, tokens, this.settings.maxSplitValues, this.rules);
      const changed = mergeInto(cluster.tokens, tokens);
      if (changed) {
        cluster.wildcards = countWildcards(cluster.tokens);
        if (!cluster.forward) this.skeletons.update(cluster);
      }
      if (changed || events.grew || events.started.length || events.ended.length) cluster.leaf.ext?.update(cluster);
      if (cluster.forward) pattern = cluster.forward;
      else {
        if (events.started.length || events.ended.length) this.resplit(cluster, events);
        else if (changed) for (const p of cluster.patterns.values()) p.template = templateOf(cluster, p.fixed);
        const key = keyOfTokens(splitPositions(cluster), tokens);
        pattern = cluster.patterns.get(key);
        if (!pattern) {
          if (!this.mayCreate()) return this.notMined();
          pattern = this.newPattern(cluster, key, tokens, time);
          isNew = true;
        }
      }
    } else {
      home = this.newCluster(tokens.slice(), new Map(), this.tree.leafFor(tokens.length, this.tree.routeOf(tokens)));
      const other = this.rules & RULES.crossLength ? this.otherLength(tokens) : undefined;
      if (other) {
        home.forward = other;
        other.forwarders.push(home);
        pattern = other;
      } else {
        this.skeletons.add(home);
        pattern = this.newPattern(home, '', tokens, time);
        isNew = true;
      }
    }
    home.count++;
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
      skeleton: undefined,
      forward: undefined,
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
      const sim = similarity(c.tokens, tokens, known, this.rules);
      // Ties: the more general cluster, then the older one (what a scan in leaf order picks).
      if (sim > bestSim || (sim === bestSim && best && (c.wildcards > best.wildcards || (c.wildcards === best.wildcards && c.order < best.order)))) {
        best = c;
        bestSim = sim;
      }
    }
    return best && bestSim >= this.settings.similarity ? best : undefined;
  }

  /**
   * The pattern of a cluster of another token count with the same skeleton (see
   * cross-length.ts): the most frequent such cluster's most frequent pattern.
   */
  private otherLength(tokens: readonly string[]): Pattern | undefined {
    let best: Pattern | undefined;
    for (const c of this.skeletons.find(tokens)) {
      for (const p of c.patterns.values()) if (!best || p.count > best.count) best = p;
    }
    return best;
  }

  /** Work counters (what a test can bound): lines added, clusters compared with them, eviction rounds, lines not mined. */
  stats(): { readonly lines: number; readonly comparisons: number; readonly evictions: number; readonly unmined: number } {
    return { lines: this.seq, comparisons: this.compared, evictions: this.evictions, unmined: this.unmined };
  }

  /**
   * Whether the budget allows one more new cluster or pattern (and takes it). Making a pattern
   * costs far more than matching one (clusters, indexes, ids, and past maxPatterns eviction
   * rounds), so a flood of lines that share nothing — 10 MB of them in one push — is bounded
   * here, as Loki bounds its pattern miner per stream; the lines themselves are stored as usual.
   */
  private mayCreate(): boolean {
    const now = this.now();
    if (this.refilledAt !== undefined && now > this.refilledAt) this.tokens = Math.min(this.budget.burst, this.tokens + (now - this.refilledAt) * this.budget.perMs);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private notMined(): AddResult {
    this.unmined++;
    return { patternId: UNMINED_PATTERN_ID, template: UNMINED_TEMPLATE, isNew: false };
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
      forwarders: [],
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
      for (const f of gone.forwarders) f.forward = keep;
      pushAll(keep.forwarders, gone.forwarders);
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
        // Clusters whose lines counted on it go with it.
        for (const f of p.forwarders) {
          f.leaf.ext?.remove(f);
          gone.add(f);
        }
      }
      c.leaf.ext?.remove(c);
      this.skeletons.remove(c);
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
    for (const p of this.byId.values()) for (const f of p.forwarders) clusters.add(f);
    return snapshotOf(this.settings, this.seq, clusters);
  }

  /** Rebuilds a miner from `snapshot()` output; options not in the snapshot (preprocess, now, rules) come from `options`. */
  static restore(snapshot: unknown, options: Pick<MinerOptions, 'preprocess' | 'now' | 'rules'> = {}): Miner {
    const data = restoreSnapshot(snapshot);
    const miner = new Miner({ ...data.settings, ...options });
    miner.seq = data.seq;
    const forwards: [Cluster, string][] = [];
    for (const sc of data.clusters) {
      const tracked: Cluster['tracked'] = new Map(sc.tracked.map(([i, words]) => [i, words === null ? null : new Map(words)]));
      const c = miner.newCluster(sc.tokens.slice(), tracked, miner.tree.leafFor(sc.tokens.length, sc.route));
      c.count = sc.patterns.reduce((n, p) => n + p.count, 0);
      if (sc.forward !== undefined) {
        forwards.push([c, sc.forward]);
        continue;
      }
      miner.skeletons.add(c);
      const positions = splitPositions(c);
      for (const sp of sc.patterns) {
        const p: Pattern = { ...sp, cluster: c, fixed: new Map(sp.fixed), template: '', samples: sp.samples.slice(), buckets: sp.buckets.map((b) => [b[0], b[1]]), aliases: sp.aliases.slice(), forwarders: [] };
        p.template = templateOf(c, p.fixed);
        c.patterns.set(keyOfPattern(positions, p), p);
        miner.byId.set(p.id, p);
        for (const a of p.aliases) miner.aliases.set(a, p.id);
      }
    }
    for (const [c, id] of forwards) {
      const target = miner.byId.get(id);
      if (!target) throw new SnapshotError(`snapshot: a cluster forwards to ${JSON.stringify(id)}, which is an alias, not a pattern`);
      c.forward = target;
      target.forwarders.push(c);
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

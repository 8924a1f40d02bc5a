import type { Pattern } from './cluster.js';
import type { RuleName } from './rules.js';

export interface MinerOptions {
  /** Share of agreeing positions needed to join a cluster (Drain's `st`). */
  readonly similarity?: number;
  /** Drain's tree depth: lines are routed by their token count, then their first `depth - 3` tokens (3: by token count only). */
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
  /** Default rules to switch off, e.g. `{ booleans: false }` (see rules.ts); not kept in snapshots. */
  readonly rules?: Readonly<Partial<Record<RuleName, boolean>>>;
  /** Extra preprocessing of each line before tokenising (e.g. per-source regexes → `<*>`). */
  readonly preprocess?: (line: string) => string;
  /** Time of a line added without one (ms); also the clock of the new-pattern budget. */
  readonly now?: () => number;
  /**
   * How many new patterns the miner makes at most: `burst` at once, refilled at `perSecond`
   * (default 5,000 and 50/s). A line that would make one more is not mined: it gets
   * UNMINED_PATTERN_ID. Not kept in snapshots.
   */
  readonly newPatterns?: { readonly burst: number; readonly perSecond: number };
}

/** Lines that would have made a pattern past the new-pattern budget (MinerOptions.newPatterns) get this id. */
export const UNMINED_PATTERN_ID = 'unmined';
export const UNMINED_TEMPLATE = '<not mined: more new patterns than logs mining makes at once>';
export const DEFAULT_NEW_PATTERNS = { burst: 5_000, perSecond: 50 } as const;

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

export function info(p: Pattern): PatternInfo {
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

export function validate(s: MinerSettings): void {
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

import type { Pattern } from './cluster.js';

interface StatsLimits {
  readonly maxSamples: number;
  readonly bucketMs: number;
  readonly maxBuckets: number;
}

/** Counts one line into a pattern: count, first/last seen, samples, time bucket. */
export function recordLine(p: Pattern, line: string, time: number, seq: number, limits: StatsLimits): void {
  p.count++;
  p.lastSeq = seq;
  if (time < p.firstSeen) p.firstSeen = time;
  if (time > p.lastSeen) p.lastSeen = time;
  if (p.samples.length < limits.maxSamples) p.samples.push(line);
  const start = Math.floor(time / limits.bucketMs) * limits.bucketMs;
  const last = p.buckets[p.buckets.length - 1];
  if (last && last[0] === start) last[1]++;
  else if (!last || start > last[0]) {
    p.buckets.push([start, 1]);
    if (p.buckets.length > limits.maxBuckets) p.buckets.shift();
  } else {
    // A late line: it counts if its bucket is still kept.
    const b = p.buckets.find((x) => x[0] === start);
    if (b) b[1]++;
  }
}

/** Folds `gone`'s statistics into `keep` (patterns that turned out to be one). */
export function mergePatterns(keep: Pattern, gone: Pattern, limits: StatsLimits): void {
  keep.count += gone.count;
  keep.firstSeen = Math.min(keep.firstSeen, gone.firstSeen);
  keep.lastSeen = Math.max(keep.lastSeen, gone.lastSeen);
  keep.lastSeq = Math.max(keep.lastSeq, gone.lastSeq);
  for (const s of gone.samples) if (keep.samples.length < limits.maxSamples) keep.samples.push(s);
  const byStart = new Map<number, number>();
  for (const [s, n] of [...keep.buckets, ...gone.buckets]) byStart.set(s, (byStart.get(s) ?? 0) + n);
  keep.buckets = [...byStart.entries()].sort((a, b) => a[0] - b[0]).slice(-limits.maxBuckets);
}

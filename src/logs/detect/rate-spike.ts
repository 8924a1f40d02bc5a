import { AlertBook, DetectorStateError, PairKey, formatWindow, stateV1 } from './types.js';
import type { Detector, DetectorAlert, DetectorEntry } from './types.js';

export interface RateSpikeSettings {
  bucketMs: number;
  /** Buckets of history the baseline is taken from. */
  baselineBuckets: number;
  /** Fewer complete buckets of history than this: no verdict yet. */
  minBaselineBuckets: number;
  /** Fires when count > median + k · max(1.4826·MAD, √median, 1). */
  k: number;
  /** …and count ≥ this floor, so 0 → 3 lines is not a spike. */
  minCount: number;
  resolveAfterMs: number;
  severity: string;
  maxPatterns: number;
}

export const RATE_SPIKE_DEFAULTS: RateSpikeSettings = { bucketMs: 60_000, baselineBuckets: 30, minBaselineBuckets: 10, k: 5, minCount: 10, resolveAfterMs: 300_000, severity: 'medium', maxPatterns: 20_000 };

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

interface Series {
  service: string;
  patternId: string;
  template: string;
  firstBucket: number;
  counts: Map<number, number>;
  samples: string[];
}

/**
 * A pattern whose per-bucket count jumps against its own recent history, judged with
 * robust statistics (median and MAD) so one earlier burst does not hide the next.
 */
export class RateSpikeDetector implements Detector {
  readonly name = 'rate_spike';
  private readonly series = new Map<string, Series>();
  private readonly book = new AlertBook();
  private evaluated: number | undefined;
  private readonly keys = new PairKey();

  constructor(private readonly s: RateSpikeSettings = RATE_SPIKE_DEFAULTS) {}

  observe(e: DetectorEntry): void {
    const key = this.keys.of(e.service, e.patternId);
    const b = Math.floor(e.t / this.s.bucketMs);
    let st = this.series.get(key);
    if (!st) {
      if (this.series.size >= this.s.maxPatterns) return;
      st = { service: e.service, patternId: e.patternId, template: e.template, firstBucket: b, counts: new Map(), samples: [] };
      this.series.set(key, st);
    }
    st.template = e.template;
    st.counts.set(b, (st.counts.get(b) ?? 0) + 1);
    if (st.samples.length < 3) st.samples.push(e.line);
  }

  tick(now: number): DetectorAlert[] {
    const last = Math.floor(now / this.s.bucketMs) - 1; // the newest complete bucket
    const from = Math.max(this.evaluated === undefined ? last : this.evaluated + 1, last - this.s.baselineBuckets);
    for (let b = from; b <= last; b++) for (const st of this.series.values()) this.evaluate(st, b);
    this.evaluated = last;
    for (const st of this.series.values()) {
      for (const b of st.counts.keys()) if (b < last - this.s.baselineBuckets - 1) st.counts.delete(b);
      st.samples = [];
    }
    return this.book.tick(now);
  }

  private evaluate(st: Series, b: number): void {
    const count = st.counts.get(b) ?? 0;
    if (count < this.s.minCount) return;
    const history: number[] = [];
    for (let i = Math.max(st.firstBucket, b - this.s.baselineBuckets); i < b; i++) history.push(st.counts.get(i) ?? 0);
    if (history.length < this.s.minBaselineBuckets) return;
    const med = median(history);
    const mad = median(history.map((x) => Math.abs(x - med)));
    const threshold = med + this.s.k * Math.max(1.4826 * mad, Math.sqrt(med), 1);
    if (count <= threshold) return;
    const end = (b + 1) * this.s.bucketMs;
    const labels = { alertname: 'LogPatternRateSpike', service: st.service, severity: this.s.severity, detector: this.name, pattern: st.patternId };
    const window = formatWindow(this.s.bucketMs);
    const info = {
      summary: `Log pattern rate spike in ${st.service}`,
      description: `Pattern "${st.template}" occurred ${count} times in ${window}; baseline median ${med}, MAD ${mad} over ${history.length} windows (threshold ${threshold.toFixed(1)}).`,
      window,
      count,
    };
    this.book.fire(labels, end, end + this.s.resolveAfterMs, info);
    for (const sample of st.samples) this.book.fire(labels, end, end + this.s.resolveAfterMs, { ...info, sample });
  }

  /** The baseline: each pattern's recent per-bucket counts (not its sample lines). */
  snapshot(): unknown {
    return {
      v: 1,
      evaluated: this.evaluated ?? null,
      series: [...this.series.values()].map((st) => ({ service: st.service, patternId: st.patternId, template: st.template, firstBucket: st.firstBucket, counts: [...st.counts] })),
    };
  }

  restore(state: unknown): void {
    const st = stateV1(this.name, state);
    const list = st.series;
    const ok =
      (st.evaluated === null || typeof st.evaluated === 'number') &&
      Array.isArray(list) &&
      list.every((x: unknown) => {
        const r = x as Record<string, unknown>;
        return (
          typeof r === 'object' && r !== null && typeof r.service === 'string' && typeof r.patternId === 'string' && typeof r.template === 'string' &&
          typeof r.firstBucket === 'number' && Array.isArray(r.counts) && r.counts.every((c: unknown) => Array.isArray(c) && typeof c[0] === 'number' && typeof c[1] === 'number')
        );
      });
    if (!ok) throw new DetectorStateError(`${this.name}: saved state is malformed`);
    this.evaluated = (st.evaluated as number | null) ?? undefined;
    this.series.clear();
    for (const r of (list as Array<Omit<Series, 'counts' | 'samples'> & { counts: Array<[number, number]> }>).slice(0, this.s.maxPatterns)) {
      this.series.set(`${r.service}\u0000${r.patternId}`, { service: r.service, patternId: r.patternId, template: r.template, firstBucket: r.firstBucket, counts: new Map(r.counts), samples: [] });
    }
  }
}

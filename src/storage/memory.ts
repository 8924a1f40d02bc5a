import { fingerprint, type Labels } from '../model/labels.js';
import { matchesAll, type Matcher } from '../model/matcher.js';
import { isStaleNaN, staleNaN } from '../model/sample.js';
import { lowerBound } from './lower-bound.js';
import type { LabelHints, Querier, Queryable, SelectHints, StorageSeries } from './querier.js';
import type { Appendable, Appender } from './appender.js';

interface MemSeries {
  labels: Labels;
  timestamps: number[];
  values: number[];
  /** Stale markers kept as flags: JS arrays do not preserve NaN payload bits. */
  stale: boolean[];
  /** Start timestamp per sample, 0 when unknown. */
  st: number[];
  histogramTimestamps: number[];
}

/**
 * An in-memory Queryable for tests and the PromQL conformance runner. Samples may be added
 * in any order; a later sample at the same timestamp replaces the earlier one.
 */
export class MemoryQueryable implements Queryable, Appendable {
  private readonly series = new Map<string, MemSeries>();
  private sorted = true;

  /** Adds a float sample; `st` is its start timestamp (ms), 0 when unknown. */
  add(labels: Labels, t: number, v: number, st = 0): void {
    const s = this.get(labels);
    const n = s.timestamps.length;
    if (n > 0 && (s.timestamps[n - 1] as number) >= t) this.sorted = false;
    s.timestamps.push(t);
    s.values.push(v);
    s.stale.push(isStaleNaN(v));
    s.st.push(st);
  }

  /** Records that a native-histogram sample exists (its value is not kept). */
  addHistogram(labels: Labels, t: number): void {
    this.get(labels).histogramTimestamps.push(t);
  }

  /** Buffers samples and adds them on commit (no ordering checks: a later sample at a timestamp replaces the earlier). */
  appender(): Appender {
    let buf: Array<[Labels, number, number]> = [];
    return {
      append: (labels, t, v) => {
        buf.push([labels, t, v]);
      },
      commit: () => {
        for (const [l, t, v] of buf) this.add(l, t, v);
        buf = [];
        return Promise.resolve();
      },
      rollback: () => {
        buf = [];
      },
    };
  }

  clear(): void {
    this.series.clear();
    this.sorted = true;
  }

  private get(labels: Labels): MemSeries {
    const clean: Record<string, string> = {};
    for (const [k, v] of Object.entries(labels)) if (v !== '') clean[k] = v;
    const key = fingerprint(clean);
    let s = this.series.get(key);
    if (!s) {
      s = { labels: clean, timestamps: [], values: [], stale: [], st: [], histogramTimestamps: [] };
      this.series.set(key, s);
    }
    return s;
  }

  private normalize(): void {
    if (this.sorted) return;
    for (const s of this.series.values()) {
      const idx = s.timestamps.map((_, i) => i);
      idx.sort((a, b) => (s.timestamps[a] as number) - (s.timestamps[b] as number) || a - b);
      const ts: number[] = [];
      const vs: number[] = [];
      const st: boolean[] = [];
      const sts: number[] = [];
      for (const i of idx) {
        const t = s.timestamps[i] as number;
        if (ts.length > 0 && ts[ts.length - 1] === t) {
          vs[vs.length - 1] = s.values[i] as number;
          st[st.length - 1] = s.stale[i] as boolean;
          sts[sts.length - 1] = s.st[i] as number;
        } else {
          ts.push(t);
          vs.push(s.values[i] as number);
          st.push(s.stale[i] as boolean);
          sts.push(s.st[i] as number);
        }
      }
      s.timestamps = ts;
      s.values = vs;
      s.stale = st;
      s.st = sts;
    }
    this.sorted = true;
  }

  private matching(matchers: readonly Matcher[]): MemSeries[] {
    this.normalize();
    return [...this.series.values()].filter((s) => matchesAll(matchers, s.labels));
  }

  querier(): Promise<Querier> {
    const q: Querier = {
      select: (matchers: readonly Matcher[], hints: SelectHints): Promise<readonly StorageSeries[]> => {
        const out: StorageSeries[] = [];
        for (const s of this.matching(matchers)) {
          const hi = lowerBound(s.timestamps, hints.end + 1);
          // Honours the latest hint (as the TSDB does), so engine tests over this store check that
          // the engine asks for it only where the newest sample is all it reads.
          const lo = hints.latest && hi > 0 ? Math.max(hi - 1, lowerBound(s.timestamps, hints.start)) : lowerBound(s.timestamps, hints.start);
          const hist = s.histogramTimestamps.filter((t) => t >= hints.start && t <= hints.end).length;
          if (hi <= lo && hist === 0) continue;
          const values = new Float64Array(hi - lo);
          for (let i = lo; i < hi; i++) values[i - lo] = s.stale[i] ? staleNaN() : (s.values[i] as number);
          const sts = s.st.slice(lo, hi);
          out.push({ labels: s.labels, timestamps: s.timestamps.slice(lo, hi), values, ...(sts.some((x) => x !== 0) ? { startTimestamps: sts } : {}), histogramCount: hist });
        }
        return Promise.resolve(out);
      },
      labelNames: (matchers: readonly Matcher[], _hints?: LabelHints): Promise<string[]> => {
        const names = new Set<string>();
        for (const s of this.matching(matchers)) for (const k of Object.keys(s.labels)) names.add(k);
        return Promise.resolve([...names].sort());
      },
      labelValues: (name: string, matchers: readonly Matcher[], _hints?: LabelHints): Promise<string[]> => {
        const values = new Set<string>();
        for (const s of this.matching(matchers)) {
          const v = s.labels[name];
          if (v !== undefined) values.add(v);
        }
        return Promise.resolve([...values].sort());
      },
      close: () => undefined,
    };
    return Promise.resolve(q);
  }
}


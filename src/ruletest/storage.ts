import { fingerprint, type Labels } from '../model/labels.js';
import { matchesAll, type Matcher } from '../model/matcher.js';
import { isStaleNaN } from '../model/sample.js';
import { MemoryQueryable } from '../storage/memory.js';
import type { Appendable, Appender, Querier, Queryable } from '../storage/index.js';
import { isCounterReset, type TestHistogram } from './histogram.js';
import type { SeqValue } from './series.js';

interface Pending {
  readonly t: number;
  readonly labels: Labels;
  readonly value: SeqValue;
}

/**
 * The store a unit test runs against (promqltest's LazyLoader): input series are added up to
 * each evaluation time as the test advances, rule output is appended as the rules run. Floats
 * live in a MemoryQueryable; native histograms are kept beside it (the engine is told a series
 * holds them and refuses to compute on them).
 */
export class TestStorage implements Queryable, Appendable {
  readonly floats = new MemoryQueryable();
  private readonly histograms = new Map<string, { labels: Labels; points: Array<{ t: number; h: TestHistogram }> }>();
  private pending: Pending[] = [];
  private cursor = 0;

  /** Input samples, loaded lazily by loadUntil(). */
  addInput(labels: Labels, start: number, intervalMs: number, values: readonly SeqValue[]): void {
    values.forEach((v, i) => {
      if (v.kind !== 'omitted') this.pending.push({ t: start + i * intervalMs, labels, value: v });
    });
    this.pending.sort((a, b) => a.t - b.t);
  }

  /** Adds every input sample at or before `t`. */
  loadUntil(t: number): void {
    while (this.cursor < this.pending.length && (this.pending[this.cursor] as Pending).t <= t) {
      const p = this.pending[this.cursor++] as Pending;
      if (p.value.kind === 'float') this.floats.add(p.labels, p.t, p.value.v);
      else if (p.value.kind === 'histogram') this.addHistogram(p.labels, p.t, p.value.h);
    }
  }

  private addHistogram(labels: Labels, t: number, h: TestHistogram): void {
    const key = fingerprint(labels);
    let s = this.histograms.get(key);
    if (!s) {
      s = { labels, points: [] };
      this.histograms.set(key, s);
    }
    // As the TSDB reads them back: the first sample of a series has an unknown counter-reset
    // hint, later ones "not_reset" unless the values went down; a hint given explicitly stays.
    const prev = s.points[s.points.length - 1]?.h;
    const hint = h.hintSet ? h.hint : !prev ? 'unknown' : isCounterReset(prev, h) ? 'reset' : 'not_reset';
    s.points.push({ t, h: { ...h, hint } });
    this.floats.addHistogram(labels, t);
  }

  hasHistograms(matchers: readonly Matcher[]): boolean {
    for (const s of this.histograms.values()) if (matchesAll(matchers, s.labels)) return true;
    return false;
  }

  /**
   * An instant vector selector at `t` over floats and histograms alike: each matching series'
   * latest sample within the lookback window, none when that sample is a stale marker.
   */
  async selectLatest(matchers: readonly Matcher[], t: number, lookbackMs: number): Promise<Array<{ labels: Labels; v?: number; h?: TestHistogram }>> {
    const out = new Map<string, { labels: Labels; t: number; v?: number; h?: TestHistogram }>();
    const q = await this.floats.querier();
    for (const s of await q.select(matchers, { start: t - lookbackMs + 1, end: t })) {
      const n = s.timestamps.length;
      if (n === 0) continue;
      const v = s.values[n - 1] as number;
      out.set(fingerprint(s.labels), { labels: s.labels, t: s.timestamps[n - 1] as number, v });
    }
    for (const [key, s] of this.histograms) {
      if (!matchesAll(matchers, s.labels)) continue;
      const last = s.points.filter((p) => p.t <= t && p.t > t - lookbackMs).pop();
      if (!last) continue;
      const cur = out.get(key);
      if (!cur || last.t > cur.t) out.set(key, { labels: s.labels, t: last.t, h: last.h });
    }
    return [...out.values()].filter((x) => x.h !== undefined || !isStaleNaN(x.v as number)).map(({ labels, v, h }) => ({ labels, ...(h ? { h } : { v: v as number }) }));
  }

  querier(mint: number, maxt: number): Promise<Querier> {
    return this.floats.querier();
  }

  appender(): Appender {
    return this.floats.appender();
  }
}

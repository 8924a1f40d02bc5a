import { AlertBook, DetectorStateError, PairKey, formatWindow, isStringArray, stateV1 } from './types.js';
import type { Detector, DetectorAlert, DetectorEntry } from './types.js';

export interface NewPatternSettings {
  /** Learning period from the first line seen; patterns seen in it are the baseline. */
  baselineMs: number;
  /** How long an alert stays firing after the pattern's last occurrence. */
  windowMs: number;
  levels: readonly string[];
  severity: string;
  maxPatterns: number;
}

export const NEW_PATTERN_DEFAULTS: NewPatternSettings = { baselineMs: 3_600_000, windowMs: 900_000, levels: ['warn', 'error', 'fatal'], severity: 'medium', maxPatterns: 100_000 };

/** A warn/error pattern never seen during the baseline window (nor since). */
export class NewPatternDetector implements Detector {
  readonly name = 'new_pattern';
  private readonly seen = new Set<string>();
  private readonly fresh = new Map<string, { count: number; labels: Record<string, string> }>();
  private startedAt: number | undefined;
  private readonly book = new AlertBook();
  private readonly keys = new PairKey();

  constructor(private readonly s: NewPatternSettings = NEW_PATTERN_DEFAULTS) {}

  observe(e: DetectorEntry): void {
    this.startedAt ??= e.t;
    const key = this.keys.of(e.service, e.patternId);
    const f = this.fresh.get(key);
    if (f) {
      f.count++;
      this.fire(e, f.labels, f.count);
      return;
    }
    if (this.seen.has(key)) return;
    if (this.seen.size < this.s.maxPatterns) this.seen.add(key);
    const learning = e.t < this.startedAt + this.s.baselineMs;
    if (learning || !this.s.levels.includes(e.level)) return;
    const labels = { alertname: 'LogNewPattern', service: e.service, severity: this.s.severity, detector: this.name, pattern: e.patternId };
    this.fresh.set(key, { count: 1, labels });
    this.fire(e, labels, 1);
  }

  private fire(e: DetectorEntry, labels: Record<string, string>, count: number): void {
    this.book.fire(labels, e.t, e.t + this.s.windowMs, {
      summary: `New ${e.level} log pattern in ${e.service}`,
      description: `Pattern "${e.template}" was never seen before (baseline ${formatWindow(this.s.baselineMs)}); ${count} occurrence(s) so far.`,
      window: formatWindow(this.s.windowMs),
      count,
      sample: e.line,
    });
  }

  tick(now: number): DetectorAlert[] {
    const out = this.book.tick(now);
    for (const [k, f] of this.fresh) if (!this.book.isActive(f.labels)) this.fresh.delete(k);
    return out;
  }

  /** The baseline: when learning started and every (service, pattern) seen. */
  snapshot(): unknown {
    return { v: 1, startedAt: this.startedAt ?? null, seen: [...this.seen] };
  }

  restore(state: unknown): void {
    const st = stateV1(this.name, state);
    if (!(st.startedAt === null || typeof st.startedAt === 'number') || !isStringArray(st.seen)) throw new DetectorStateError(`${this.name}: saved state is malformed`);
    this.startedAt = st.startedAt ?? undefined;
    this.seen.clear();
    for (const k of st.seen.slice(0, this.s.maxPatterns)) this.seen.add(k);
  }
}

import type { Appendable } from '../storage/appender.js';
import type { Clock, TimerHandle } from '../model/clock.js';

export const LOG_LINES_METRIC = 'vigil_log_lines_total';
export const LOG_PATTERN_METRIC = 'vigil_log_pattern_occurrences_total';
/** Pattern label value for occurrences beyond the pattern-series budget. */
export const OTHER_PATTERN = '__other__';

export interface LogMetricsOptions {
  sink: Appendable;
  clock: Clock;
  /** Default 15 s. */
  flushIntervalMs?: number;
  /** Distinct (service, level, pattern) series kept; later ones count under pattern="__other__" (default 2000). */
  maxPatternSeries?: number;
  onError?: (err: unknown) => void;
}

/**
 * Turns accepted log lines into cumulative counter samples, so PromQL rules can alert on
 * logs: `vigil_log_lines_total{service,level}` and
 * `vigil_log_pattern_occurrences_total{service,level,pattern}`. Every flush writes the
 * current totals of every series at the flush time (counters never reset while the
 * process runs; `rate()`/`increase()` handle the reset after a restart).
 */
export class LogMetrics {
  private readonly lines = new Map<string, { service: string; level: string; n: number }>();
  private readonly patterns = new Map<string, { service: string; level: string; pattern: string; n: number }>();
  private readonly fast = new Map<string, Map<string, { line: { n: number }; patterns: Map<string, { n: number }> }>>();
  private readonly interval: number;
  private readonly maxPatterns: number;
  private timer: TimerHandle | undefined;

  constructor(private readonly opts: LogMetricsOptions) {
    this.interval = opts.flushIntervalMs ?? 15_000;
    this.maxPatterns = opts.maxPatternSeries ?? 2000;
  }

  observe(service: string, level: string, patternId?: string, n = 1): void {
    // Hot path: nested maps, no key strings; the flat maps above keep flush order and the budget.
    let byLevel = this.fast.get(service);
    if (!byLevel) this.fast.set(service, (byLevel = new Map()));
    let f = byLevel.get(level);
    if (!f) {
      const lk = `${service}\u0000${level}`;
      let l = this.lines.get(lk);
      if (!l) this.lines.set(lk, (l = { service, level, n: 0 }));
      byLevel.set(level, (f = { line: l, patterns: new Map() }));
    }
    f.line.n += n;
    if (patternId === undefined) return;
    const known = f.patterns.get(patternId);
    if (known) {
      known.n += n;
      return;
    }
    const lk = `${service}\u0000${level}`;
    let pk = `${lk}\u0000${patternId}`;
    let pattern = patternId;
    if (!this.patterns.has(pk) && this.patterns.size >= this.maxPatterns) {
      pattern = OTHER_PATTERN;
      pk = `${lk}\u0000${OTHER_PATTERN}`;
    }
    let p = this.patterns.get(pk);
    if (p) p.n += n;
    else this.patterns.set(pk, (p = { service, level, pattern, n }));
    // Ids over the budget stay uncached: a later one may still find its own series.
    if (pattern === patternId) f.patterns.set(patternId, p);
  }

  /** Appends every series' total at the current time and commits. */
  async flush(): Promise<void> {
    const t = this.opts.clock.now();
    const app = this.opts.sink.appender();
    try {
      for (const l of this.lines.values()) app.append({ __name__: LOG_LINES_METRIC, service: l.service, level: l.level }, t, l.n);
      for (const p of this.patterns.values()) app.append({ __name__: LOG_PATTERN_METRIC, service: p.service, level: p.level, pattern: p.pattern }, t, p.n);
      await app.commit();
    } catch (e) {
      app.rollback();
      throw e;
    }
  }

  start(): void {
    const tick = () => {
      this.timer = this.opts.clock.setTimeout(() => {
        this.flush()
          .catch((e) => this.opts.onError?.(e))
          .finally(() => {
            if (this.timer) tick();
          });
      }, this.interval);
    };
    tick();
  }

  async stop(): Promise<void> {
    if (this.timer) this.opts.clock.clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush().catch((e) => this.opts.onError?.(e));
  }
}

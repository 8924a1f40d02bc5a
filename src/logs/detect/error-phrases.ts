import { literalTest } from '../literal-prefilter.js';
import { AlertBook, SlidingWindow, formatWindow } from './types.js';
import type { Detector, DetectorAlert, DetectorEntry } from './types.js';

export const DEFAULT_ERROR_PHRASES = [
  'database connection failed',
  'timeout exceeded',
  'out of memory',
  'connection refused',
  'deadlock detected',
  'disk full',
  'no space left on device',
  'too many open files',
  'segmentation fault',
  'panic:',
] as const;

export interface ErrorPhrasesSettings {
  phrases: readonly string[];
  windowMs: number;
  /** Occurrences within the window that fire (default 1). */
  minCount: number;
  severity: string;
}

export const ERROR_PHRASES_DEFAULTS: ErrorPhrasesSettings = { phrases: DEFAULT_ERROR_PHRASES, windowMs: 300_000, minCount: 1, severity: 'high' };

/** Configured phrases (case-insensitive substrings of the line), counted per service over a window. */
export class ErrorPhrasesDetector implements Detector {
  readonly name = 'error_phrases';
  private readonly lower: string[];
  /** False for a line containing no phrase (skips lower-casing and the per-phrase scan). */
  private readonly maybe: ((line: string) => boolean) | undefined;
  private readonly counts: SlidingWindow;
  private readonly book = new AlertBook();

  constructor(private readonly s: ErrorPhrasesSettings = ERROR_PHRASES_DEFAULTS) {
    this.lower = s.phrases.map((p) => p.toLowerCase());
    this.maybe = literalTest(s.phrases, true);
    this.counts = new SlidingWindow(s.windowMs);
  }

  observe(e: DetectorEntry): void {
    if (this.maybe && !this.maybe(e.line)) return;
    const text = e.line.toLowerCase();
    this.lower.forEach((p, i) => {
      if (!text.includes(p)) return;
      const phrase = this.s.phrases[i]!;
      const count = this.counts.add(`${e.service}\u0000${p}`, e.t);
      if (count < this.s.minCount) return;
      const labels = { alertname: 'LogErrorPhrase', service: e.service, severity: this.s.severity, detector: this.name, pattern: e.patternId, phrase };
      this.book.fire(labels, e.t, e.t + this.s.windowMs, {
        summary: `"${phrase}" logged by ${e.service}`,
        description: `${count} line(s) containing "${phrase}" in the last ${formatWindow(this.s.windowMs)} (pattern "${e.template}").`,
        window: formatWindow(this.s.windowMs),
        count,
        sample: e.line,
      }, `${e.service}\u0000${p}\u0000${e.patternId}`);
    });
  }

  tick(now: number): DetectorAlert[] {
    return this.book.tick(now);
  }
}

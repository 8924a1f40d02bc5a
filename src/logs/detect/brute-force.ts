import { authEvent } from './auth-events.js';
import { AlertBook, SlidingWindow, formatWindow } from './types.js';
import type { Detector, DetectorAlert, DetectorEntry } from './types.js';

export interface BruteForceSettings {
  windowMs: number;
  /** Failed logins from one source IP within the window that fire. */
  perIp: number;
  /** Failed logins for one user within the window that fire. */
  perUser: number;
  severity: string;
}

export const BRUTE_FORCE_DEFAULTS: BruteForceSettings = { windowMs: 300_000, perIp: 10, perUser: 10, severity: 'high' };

/** Failed logins per source IP and per user over a sliding window (password guessing, credential stuffing). */
export class BruteForceDetector implements Detector {
  readonly name = 'brute_force';
  private readonly failures: SlidingWindow;
  private readonly book = new AlertBook();

  constructor(private readonly s: BruteForceSettings = BRUTE_FORCE_DEFAULTS) {
    this.failures = new SlidingWindow(s.windowMs);
  }

  observe(e: DetectorEntry): void {
    const ev = authEvent(e);
    if (!ev || ev.outcome !== 'failure') return;
    if (ev.ip) this.count(e, 'ip', ev.ip, this.s.perIp);
    if (ev.user) this.count(e, 'user', ev.user, this.s.perUser);
  }

  private count(e: DetectorEntry, by: 'ip' | 'user', value: string, threshold: number): void {
    const key = `${e.service}\u0000${by}\u0000${value}`;
    const n = this.failures.add(key, e.t);
    if (n < threshold) return;
    const labels = { alertname: by === 'ip' ? 'LogBruteForceSourceIP' : 'LogBruteForceUser', service: e.service, severity: this.s.severity, detector: this.name, [by === 'ip' ? 'source_ip' : 'user']: value };
    const window = formatWindow(this.s.windowMs);
    this.book.fire(labels, e.t, e.t + this.s.windowMs, {
      summary: `${n} failed logins ${by === 'ip' ? 'from' : 'for'} ${value} on ${e.service}`,
      description: `${n} failed login attempts ${by === 'ip' ? 'from source IP' : 'for user'} ${value} within ${window} (threshold ${threshold}).`,
      window,
      count: n,
      sample: e.line,
    }, key);
  }

  tick(now: number): DetectorAlert[] {
    return this.book.tick(now);
  }
}

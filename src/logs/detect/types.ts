import type { Alert } from '../../model/alert.js';
import { fingerprint } from '../../model/labels.js';
import type { Labels } from '../../model/labels.js';

/** One accepted (already redacted) line, with its mined pattern, as every detector sees it. */
export interface DetectorEntry {
  readonly t: number;
  readonly service: string;
  /** Normalized level, or '' when unknown. */
  readonly level: string;
  readonly patternId: string;
  readonly template: string;
  /** The raw line (redacted). */
  readonly line: string;
  readonly message: string;
  readonly fields: Readonly<Record<string, string>>;
}

/**
 * An alert as a detector reports it; `toAlert` makes it a pipeline Alert. Annotations carry
 * `summary`, `description`, `window`, `count` and `samples` (up to 3 lines, newline-joined).
 * Firing: `endsAt` is in the future (when it resolves unless evidence continues);
 * resolved: `endsAt` ≤ now, reported once.
 */
export interface DetectorAlert {
  labels: Labels;
  annotations: Labels;
  startsAt: number;
  endsAt: number;
}

export interface Detector {
  readonly name: string;
  observe(entry: DetectorEntry): void;
  /** Alerts firing now, plus those that resolved since the last tick (once). */
  tick(now: number): DetectorAlert[];
  /** What it learned that a restart should not forget (a baseline), as plain JSON data. */
  snapshot?(): unknown;
  /** Takes back a snapshot() result; throws DetectorStateError (changing nothing) on one it cannot read. */
  restore?(state: unknown): void;
}

/**
 * `service\0pattern` keys, remembering the last pair: lines come in runs of one service and
 * pattern, whose strings are then the very same objects, so most lines skip the concatenation.
 */
export class PairKey {
  private a: string | undefined;
  private b: string | undefined;
  private key = '';
  of(a: string, b: string): string {
    if (a !== this.a || b !== this.b) {
      this.a = a;
      this.b = b;
      this.key = `${a}\u0000${b}`;
    }
    return this.key;
  }
}

export class DetectorStateError extends Error {
  override name = 'DetectorStateError';
}

/** Reads `{ v: 1, ... }` state, or throws DetectorStateError naming the detector. */
export function stateV1(detector: string, state: unknown): Record<string, unknown> {
  if (typeof state !== 'object' || state === null || (state as { v?: unknown }).v !== 1) throw new DetectorStateError(`${detector}: saved state is not version 1`);
  return state as Record<string, unknown>;
}

export function isStringArray(x: unknown): x is string[] {
  return Array.isArray(x) && x.every((s) => typeof s === 'string');
}

export function toAlert(a: DetectorAlert, now: number, generatorURL = ''): Alert {
  return { labels: a.labels, annotations: a.annotations, startsAt: a.startsAt, endsAt: a.endsAt, generatorURL, updatedAt: now };
}

interface Active {
  labels: Labels;
  annotations: Record<string, string>;
  startsAt: number;
  until: number;
  count: number;
  samples: string[];
}

/**
 * The firing alerts of one detector. `fire` starts or extends an alert (identified by its
 * labels) until `until`; `tick` reports them and drops those whose time has passed.
 */
export class AlertBook {
  private readonly active = new Map<string, Active>();

  /**
   * `key` identifies the alert instead of the labels' fingerprint (cheaper on hot paths); a
   * detector that passes one must pass one derived from the same labels on every call, and
   * not use isActive().
   */
  fire(labels: Labels, at: number, until: number, info: { summary: string; description: string; window: string; count: number; sample?: string }, key = fingerprint(labels)): void {
    let a = this.active.get(key);
    if (!a) {
      a = { labels, annotations: {}, startsAt: at, until, count: 0, samples: [] };
      this.active.set(key, a);
    }
    a.until = Math.max(a.until, until);
    a.count = info.count;
    if (info.sample !== undefined && a.samples.length < 3 && !a.samples.includes(info.sample)) a.samples.push(info.sample);
    a.annotations = { summary: info.summary, description: info.description, window: info.window, count: String(info.count), samples: a.samples.join('\n') };
  }

  isActive(labels: Labels): boolean {
    return this.active.has(fingerprint(labels));
  }

  tick(now: number): DetectorAlert[] {
    const out: DetectorAlert[] = [];
    for (const [key, a] of this.active) {
      out.push({ labels: a.labels, annotations: { ...a.annotations }, startsAt: a.startsAt, endsAt: a.until });
      if (a.until <= now) this.active.delete(key);
    }
    return out;
  }
}

/** Timestamps within a sliding window, per key; bounded in keys and per-key entries. */
export class SlidingWindow {
  private readonly byKey = new Map<string, number[]>();

  constructor(
    private readonly windowMs: number,
    private readonly maxKeys = 50_000,
    private readonly maxPerKey = 10_000,
  ) {}

  add(key: string, t: number): number {
    let ts = this.byKey.get(key);
    if (!ts) {
      if (this.byKey.size >= this.maxKeys) this.prune(t);
      if (this.byKey.size >= this.maxKeys) return 0;
      ts = [];
      this.byKey.set(key, ts);
    }
    ts.push(t);
    if (ts.length > this.maxPerKey) ts.shift();
    return this.count(key, t);
  }

  count(key: string, now: number): number {
    const ts = this.byKey.get(key);
    if (!ts) return 0;
    while (ts.length && ts[0]! <= now - this.windowMs) ts.shift();
    return ts.length;
  }

  prune(now: number): void {
    for (const k of [...this.byKey.keys()]) if (this.count(k, now) === 0) this.byKey.delete(k);
  }
}

export function formatWindow(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${ms / 1000}s`;
}

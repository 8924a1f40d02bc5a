import type { Labels } from '../model/labels.js';
import { matchesAll, type Matcher } from '../model/matcher.js';

/**
 * What happened to one alert, in order: it fired, a stage muted it (silenced by these
 * silences, inhibited by these alerts, muted by these time intervals) or stopped muting it,
 * a receiver was notified (or delivery failed), it resolved. Kept after the alert is gone.
 */
export type HistoryKind =
  | 'fired'
  | 'resolved'
  | 'muted'
  | 'unmuted'
  | 'notified'
  | 'notify_failed';

export interface HistoryEntry {
  readonly fingerprint: string;
  /** ms since the epoch */
  readonly at: number;
  readonly kind: HistoryKind;
  /** `fired`: labels of the alert; `muted`/`unmuted`: stage and ids; `notified`: receiver. */
  readonly labels?: Labels;
  /** Muting stage (`silenced`, `inhibited`, `muted`, …) for muted/unmuted. */
  readonly stage?: string;
  /** Silence ids, inhibiting fingerprints or interval names for muted. */
  readonly by?: readonly string[];
  readonly receiver?: string;
  /** Source for fired (api, rules, checks, logs); error text for notify_failed. */
  readonly detail?: string;
}

export interface HistoryQuery {
  readonly fingerprint?: string;
  /**
   * Only alerts whose labels, as they fired, match every matcher (a missing label matches as
   * the empty string, as in silences and Alertmanager's `filter`).
   */
  readonly matchers?: readonly Matcher[];
  /** Only entries at or after this time. */
  readonly since?: number;
  readonly limit: number;
}

/** Persistence of alert history (SQL in store/, memory in tests). */
export interface AlertHistory {
  record(entries: readonly HistoryEntry[]): Promise<void>;
  /** Newest first. */
  query(q: HistoryQuery): Promise<HistoryEntry[]>;
  prune(before: number): Promise<void>;
}

export class InMemoryAlertHistory implements AlertHistory {
  private entries: HistoryEntry[] = [];

  async record(entries: readonly HistoryEntry[]): Promise<void> {
    for (const e of entries) this.entries.push(e);
  }

  async query(q: HistoryQuery): Promise<HistoryEntry[]> {
    const fps = q.matchers?.length ? matchingFingerprints(q.matchers, this.entries.filter((e) => e.kind === 'fired')) : undefined;
    return this.entries
      .filter((e) => (q.fingerprint === undefined || e.fingerprint === q.fingerprint) && (q.since === undefined || e.at >= q.since) && (fps === undefined || fps.has(e.fingerprint)))
      .reverse()
      .slice(0, q.limit);
  }

  async prune(before: number): Promise<void> {
    this.entries = this.entries.filter((e) => e.at >= before);
  }
}

/** The fingerprints of the `fired` entries whose labels match every matcher. */
export function matchingFingerprints(matchers: readonly Matcher[], fired: Iterable<Pick<HistoryEntry, 'fingerprint' | 'labels'>>): Set<string> {
  const out = new Set<string>();
  for (const e of fired) if (!out.has(e.fingerprint) && matchesAll(matchers, e.labels ?? {})) out.add(e.fingerprint);
  return out;
}

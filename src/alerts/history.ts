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

/**
 * Entries of one kind, time and details for many alerts, in order: how the pipeline records a
 * burst. One object for a POST's firing alerts or a notification's 100 alerts, where entries
 * would be one object (and a boxed time) each while they wait for the database.
 */
export interface HistoryBatch {
  readonly kind: HistoryKind;
  readonly at: number;
  readonly receiver?: string;
  readonly detail?: string;
  /** The alerts, in order: fingerprints, or (`fired`) the alerts with the labels they fired with. */
  readonly alerts: ReadonlyArray<string | { readonly fingerprint: string; readonly labels: Labels }>;
}

export type HistoryRecord = HistoryEntry | HistoryBatch;

/** The entries of `records`, in order, each made when it is reached. */
export function* historyEntries(records: readonly HistoryRecord[]): Generator<HistoryEntry> {
  for (const r of records) {
    if (!('alerts' in r)) {
      yield r;
      continue;
    }
    for (const a of r.alerts) {
      const fired = r.kind === 'fired' && typeof a !== 'string';
      // Keys in the order single entries have them (their JSON in the database keeps it).
      yield {
        fingerprint: typeof a === 'string' ? a : a.fingerprint,
        at: r.at,
        kind: r.kind,
        ...(fired ? { labels: a.labels } : {}),
        ...(r.receiver !== undefined ? { receiver: r.receiver } : {}),
        ...(r.detail !== undefined ? { detail: r.detail } : {}),
      };
    }
  }
}

/** How many entries `records` hold. */
export function historyEntryCount(records: readonly HistoryRecord[]): number {
  let n = 0;
  for (const r of records) n += 'alerts' in r ? r.alerts.length : 1;
  return n;
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
  record(entries: readonly HistoryRecord[]): Promise<void>;
  /** Newest first. */
  query(q: HistoryQuery): Promise<HistoryEntry[]>;
  prune(before: number): Promise<void>;
}

export class InMemoryAlertHistory implements AlertHistory {
  private entries: HistoryEntry[] = [];

  async record(entries: readonly HistoryRecord[]): Promise<void> {
    for (const e of historyEntries(entries)) this.entries.push(e);
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

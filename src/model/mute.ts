import type { Labels } from './labels.js';

/** An alert as a muting stage sees it. */
export interface MuteTarget {
  readonly fingerprint: string;
  readonly labels: Labels;
}

/** The route a notification goes through; stages of scope 'route' decide on it. */
export interface MuteRoute {
  readonly receiver: string;
  readonly muteTimeIntervals: readonly string[];
  readonly activeTimeIntervals: readonly string[];
}

/**
 * One muting stage of the alert pipeline (Alertmanager's `types.Muter`): inhibition,
 * silences, time intervals, maintenance windows. A stage of scope 'alert' decides on the
 * alert alone (its verdict shows in the alert's status: silencedBy, inhibitedBy); one of
 * scope 'route' decides per route at notification time (mute/active time intervals) and
 * gets the route. `mutedBy` returns what mutes the alert now — silence ids, the
 * fingerprints of inhibiting alerts, interval names — or an empty list. It must be cheap and
 * synchronous: it runs for every alert of every group flush.
 */
export interface Muter {
  /** Stage name as it appears in alert history and status: `inhibited`, `silenced`, `muted`, … */
  readonly stage: string;
  readonly scope: 'alert' | 'route';
  mutedBy(alert: MuteTarget, now: number, route?: MuteRoute): readonly string[];
}

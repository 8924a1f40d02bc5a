import type { Labels } from '../model/labels.js';

/**
 * What a notifier delivers: one flush of one alert group to one receiver. The same shape as
 * alerting's Notification (notify/ does not import alerting/); plain JSON, stored in outbox
 * jobs. Times are ms since the epoch; a firing alert's endsAt is 0 (unknown).
 */
export interface MessageAlert {
  readonly status: 'firing' | 'resolved';
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly startsAt: number;
  readonly endsAt: number;
  readonly generatorURL: string;
  readonly fingerprint: string;
}

export interface NotificationMessage {
  readonly receiver: string;
  readonly groupKey: string;
  readonly groupLabels: Labels;
  readonly alerts: readonly MessageAlert[];
  /** Only the resolved set changed since the last notification (skipped without send_resolved). */
  readonly onlyResolvedChanged?: boolean;
  readonly at?: number;
}

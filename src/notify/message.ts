import type { Labels } from '../model/labels.js';

/**
 * What a notifier delivers: one flush of one alert group to one receiver (or one page to one
 * person). The same shape as alerting's Notification (notify/ does not import alerting/);
 * plain JSON, stored in outbox jobs. Times are ms since the epoch; a firing alert's endsAt is
 * 0 (unknown).
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

/**
 * A link a notification carries. Well-known `rel`s: `incident` (the incident's page), `ack`
 * and `resolve` (signed one-use links a responder opens to acknowledge or resolve; paging
 * fills them in), `runbook`. Notifiers show them as buttons where the channel has buttons
 * (Slack, Teams, Telegram, Discord, ntfy, Pushover's URL, PagerDuty and Opsgenie links) and
 * as lines of text elsewhere; templates see them as `.Links`, `.IncidentURL`, `.AckURL`,
 * `.ResolveURL`.
 */
export interface MessageLink {
  readonly rel: 'incident' | 'ack' | 'resolve' | 'runbook' | (string & {});
  readonly url: string;
  /** The button or link text, e.g. `Acknowledge`. */
  readonly text: string;
}

export interface NotificationMessage {
  readonly receiver: string;
  readonly groupKey: string;
  readonly groupLabels: Labels;
  readonly alerts: readonly MessageAlert[];
  /** Only the resolved set changed since the last notification (skipped without send_resolved). */
  readonly onlyResolvedChanged?: boolean;
  readonly at?: number;
  readonly links?: readonly MessageLink[];
  /**
   * The group's incident was acknowledged: integrations with an acknowledge event (PagerDuty,
   * Opsgenie) send it instead of a trigger; others send the message as usual.
   */
  readonly acknowledged?: boolean;
}

import type { Alert } from './alert.js';
import type { Labels } from './labels.js';

/**
 * The pipeline's shared vocabulary after routing: what a receiver is told, and what became
 * of telling it. alerting/ produces Notifications, notify/ delivers them, incidents and the
 * alert history consume the outcomes. Plain JSON (stored in outbox jobs). Times are ms since
 * the epoch; a firing alert's endsAt is 0 (unknown), as Alertmanager sends it.
 */
export interface NotificationAlert {
  readonly status: 'firing' | 'resolved';
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly startsAt: number;
  readonly endsAt: number;
  readonly generatorURL: string;
  readonly fingerprint: string;
}

/** One flush of one aggregation group to its receiver. */
export interface Notification {
  readonly receiver: string;
  readonly groupKey: string;
  readonly groupLabels: Labels;
  /** Firing and resolved alerts as of `at`, in Alertmanager's order. */
  readonly alerts: readonly NotificationAlert[];
  /** Only the resolved set changed since the last notification (skipped without send_resolved). */
  readonly onlyResolvedChanged?: boolean;
  /** Flush time, ms. */
  readonly at?: number;
  readonly links?: readonly MessageLink[];
  /**
   * The group's incident was acknowledged: integrations with an acknowledge event (PagerDuty,
   * Opsgenie) send it instead of a trigger; others send the message as usual.
   */
  readonly acknowledged?: boolean;
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

/**
 * What happened to one delivery attempt of a notification to one integration. `retry`: it
 * failed and will be tried again (`firstFailure` on the first such attempt of the job);
 * `failed`: given up; `sent`: delivered after `attempts` attempts in all.
 */
export interface DeliveryOutcome {
  readonly outcome: 'sent' | 'retry' | 'failed';
  readonly receiver: string;
  readonly integration: string;
  readonly groupKey: string;
  readonly fingerprints: readonly string[];
  /** Whether the notification carried a firing alert. */
  readonly status: 'firing' | 'resolved';
  readonly attempts: number;
  readonly error?: string;
  readonly firstFailure?: boolean;
  readonly at: number;
}

/**
 * What the alert pipeline tells its subscribers (incidents, escalation, UIs): an alert
 * started firing or resolved (`alert` carries its fingerprint and source), or a delivery
 * attempt had an outcome. Subscribers must be idempotent: on restart the pipeline announces
 * the alerts it resumes again.
 */
export type PipelineEvent =
  | {
      readonly type: 'alert';
      readonly kind: 'firing' | 'resolved';
      readonly alert: Alert & { readonly fingerprint: string; readonly source: string };
      /** The alert-scope muting stages muting a firing alert when it was announced (maintenance, silences, …). */
      readonly mutedBy?: readonly { readonly stage: string; readonly by: readonly string[] }[];
    }
  | { readonly type: 'delivery'; readonly delivery: DeliveryOutcome };

export type PipelineListener = (ev: PipelineEvent) => void | Promise<void>;

import type { Labels } from '../model/labels.js';
import type { Severity } from '../model/alert.js';

export const STATUSES = ['triggered', 'acknowledged', 'mitigated', 'resolved'] as const;
export type IncidentStatus = (typeof STATUSES)[number];

export interface Incident {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly status: IncidentStatus;
  readonly services: readonly string[];
  readonly assignee: string | null;
  readonly openedAt: number;
  readonly acknowledgedAt: number | null;
  readonly acknowledgedBy: string | null;
  readonly mitigatedAt: number | null;
  readonly resolvedAt: number | null;
  readonly resolvedBy: string | null;
  /** The severity in force when it was acknowledged / resolved: what judges each response target. */
  readonly acknowledgedSeverity: Severity | null;
  readonly resolvedSeverity: Severity | null;
  readonly updatedAt: number;
}

export type TimelineKind =
  | 'opened'
  | 'alert_firing'
  | 'alert_resolved'
  | 'notification_sent'
  | 'notification_failed'
  | 'status_changed'
  | 'note'
  | 'assigned'
  | 'severity_changed'
  | 'service_added'
  | 'escalation'
  | 'page_sent'
  | 'page_delivered'
  | 'page_failed'
  | 'postmortem'
  | 'action_item'
  /** A public update was posted to the status page (what the public was told). */
  | 'public_update';

export interface TimelineEntry {
  readonly incidentId: string;
  readonly at: number;
  readonly kind: TimelineKind;
  /** Who did it: a token name, `anonymous` on an open loopback API, or `vigil` for automation. */
  readonly actor: string;
  readonly message: string;
  readonly data?: Readonly<Record<string, unknown>>;
}

export interface IncidentAlert {
  readonly incidentId: string;
  readonly fingerprint: string;
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly status: 'firing' | 'resolved';
  readonly startsAt: number;
  readonly endsAt: number | null;
}

export interface IncidentFilter {
  readonly status: 'open' | 'resolved' | 'all';
  readonly limit?: number;
  /**
   * Only incidents open at some time in [from, to) (ms): opened before `to` and not resolved
   * by `from` (still open, or resolved after it). What SLOs read to match incidents to a window.
   */
  readonly overlapping?: { readonly from: number; readonly to: number };
}

/**
 * Persistence the incident service needs. Implemented on SQL in db/ and in memory for
 * tests; every method is a single atomic step.
 */
export interface IncidentRepo {
  /** Allocates the next id of the year: INC-2026-0001, INC-2026-0002, … */
  nextId(year: number): Promise<string>;
  insert(incident: Incident): Promise<void>;
  update(incident: Incident): Promise<void>;
  get(id: string): Promise<Incident | undefined>;
  list(filter: IncidentFilter): Promise<Incident[]>;
  /** The most recently opened incident not resolved that lists `service`. */
  findOpenByService(service: string): Promise<Incident | undefined>;
  /** The open incident an alert (by fingerprint) is linked to, if any. */
  findOpenByAlert(fingerprint: string): Promise<Incident | undefined>;
  /**
   * findOpenByAlert for many alerts in one lookup (a notification names up to hundreds):
   * the fingerprints linked to an open incident, each with the one findOpenByAlert returns.
   */
  findOpenByAlerts(fingerprints: readonly string[]): Promise<Map<string, Incident>>;
  addTimeline(entry: TimelineEntry): Promise<void>;
  timeline(incidentId: string): Promise<TimelineEntry[]>;
  upsertAlert(alert: IncidentAlert): Promise<void>;
  alerts(incidentId: string): Promise<IncidentAlert[]>;
}

import type { Labels } from './labels.js';

/**
 * An alert as the pipeline sees it, with Alertmanager's meaning: it is firing while
 * `endsAt` is 0 (unknown) or in the future, and resolved once `endsAt` has passed.
 * Times are milliseconds since the epoch.
 */
export interface Alert {
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly startsAt: number;
  readonly endsAt: number;
  readonly generatorURL: string;
  readonly updatedAt: number;
}

export function isResolved(alert: Pick<Alert, 'endsAt'>, now: number): boolean {
  return alert.endsAt !== 0 && alert.endsAt <= now;
}

/**
 * An alert as a source hands it to the pipeline, with the meaning of Alertmanager's
 * `postableAlert` (what Prometheus's sendAlerts posts): unset times are 0 or absent. A
 * missing startsAt becomes the time of receipt; a missing endsAt makes the alert firing until
 * `resolve_timeout` passes without a resend (or, for a source that always reports resolution,
 * until it does).
 */
export interface PostableAlert {
  readonly labels: Labels;
  readonly annotations?: Labels;
  readonly startsAt?: number;
  readonly endsAt?: number;
  readonly generatorURL?: string;
}

/** Where alerts come from, and how an alert without endsAt ends. */
export interface AlertSource {
  /** `api` (POST /api/v2/alerts), `rules`, `checks`, `logs`, … — shown in the alert's history. */
  readonly name: string;
  /**
   * The source always reports resolution itself (a check that recovers): an alert without
   * endsAt stays firing until it does. Otherwise, as Alertmanager treats posted alerts, a
   * missing endsAt becomes receipt time + resolve_timeout and the alert resolves unless it is
   * sent again before then.
   */
  readonly holdsUntilResolved?: boolean;
}

export interface IntakeResult {
  readonly accepted: number;
  /** One line per rejected alert (`alerts[2]: …`); the others were accepted. */
  readonly errors: readonly string[];
}

/**
 * The alert pipeline's one entry (alerts/'s AlertPipeline.intake). Every source — checks,
 * log detectors, the rule engine, POST /api/v2/alerts — takes this function and nothing
 * else of the pipeline. Resolves once the accepted alerts are routed and durable.
 */
export type AlertIntake = (alerts: readonly PostableAlert[], source: AlertSource) => Promise<IntakeResult>;

/** A transition of one alert in the pipeline: it started firing, or it resolved. */
export interface AlertEvent {
  readonly kind: 'firing' | 'resolved';
  readonly alert: Alert;
}

/** Severities an incident can have, most severe first. Alerts may carry others; those open no incident. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function isSeverity(s: string | undefined): s is Severity {
  return s !== undefined && (SEVERITIES as readonly string[]).includes(s);
}

/** -1 when a is more severe than b. */
export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITIES.indexOf(a) - SEVERITIES.indexOf(b);
}

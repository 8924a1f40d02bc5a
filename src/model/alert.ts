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

export function isResolved(alert: Alert, now: number): boolean {
  return alert.endsAt !== 0 && alert.endsAt <= now;
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

import type { Incident } from './types.js';
import type { SeverityMatrix } from './config.js';

export type TargetState = 'met' | 'breached' | 'pending';

export interface ResponseTarget {
  readonly target_ms: number;
  /** Actual time taken, or null while it has not happened yet. */
  readonly actual_ms: number | null;
  /** met / breached once known; pending while open and still within target; breached once past it. */
  readonly state: TargetState;
}

export interface SlaReport {
  readonly time_to_acknowledge: ResponseTarget;
  readonly time_to_resolve: ResponseTarget;
}

function judge(openedAt: number, doneAt: number | null, target: number, now: number): ResponseTarget {
  if (doneAt !== null) {
    const actual = doneAt - openedAt;
    return { target_ms: target, actual_ms: actual, state: actual <= target ? 'met' : 'breached' };
  }
  return { target_ms: target, actual_ms: null, state: now - openedAt > target ? 'breached' : 'pending' };
}

/**
 * Time to acknowledge and to resolve, each compared with the target of the severity in force
 * when it happened (a later severity change does not rewrite a verdict), or of the current
 * severity while it has not happened yet.
 */
export function slaReport(incident: Incident, matrix: SeverityMatrix, now: number): SlaReport {
  // Resolving without an explicit acknowledgement counts as acknowledging at resolution.
  const ackAt = incident.acknowledgedAt ?? incident.resolvedAt;
  const ackSeverity = ackAt === null ? incident.severity : (incident.acknowledgedSeverity ?? incident.resolvedSeverity ?? incident.severity);
  const resolveSeverity = incident.resolvedAt === null ? incident.severity : (incident.resolvedSeverity ?? incident.severity);
  return {
    time_to_acknowledge: judge(incident.openedAt, ackAt, matrix[ackSeverity].acknowledge_within, now),
    time_to_resolve: judge(incident.openedAt, incident.resolvedAt, matrix[resolveSeverity].resolve_within, now),
  };
}

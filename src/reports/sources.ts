import type { Labels } from '../model/labels.js';
import type { ActionItem, Incident, IncidentDetail, IncidentFilter, Postmortem } from '../incidents/index.js';

/** One sample of a PromQL instant query. */
export interface QuerySample {
  readonly labels: Labels;
  readonly value: number;
}

/** Evaluates a PromQL expression at a time (ms); a scalar comes back as one sample with no labels. */
export type QueryFn = (expr: string, at: number) => Promise<QuerySample[]>;

export interface ServiceState {
  readonly name: string;
  readonly owner?: string;
  /** As GET /api/v1/services says: up, degraded, down, maintenance, unknown. */
  readonly state: string;
  readonly reasons: readonly string[];
}

/** An alert's record in the pipeline's history: fired or resolved at `at`. */
export interface AlertRecord {
  readonly fingerprint: string;
  readonly at: number;
  readonly kind: 'fired' | 'resolved';
  /** Present on `fired`. */
  readonly labels?: Labels;
}

/** An SLO as the reports need it. `sli` and budget figures are fractions (0.9932, not 99.32). */
export interface SloSummary {
  readonly name: string;
  readonly service: string;
  /** Percent of good events, e.g. 99.9. */
  readonly objective: number;
  /** The compliance window, ms (30d, or the current calendar month's length). */
  readonly windowMs: number;
  readonly sli: number | null;
  readonly errorBudget: { readonly total: number; readonly consumed: number; readonly remaining: number; readonly remainingMinutes: number };
  readonly status: 'ok' | 'at_risk' | 'breached';
}

/**
 * What the reports need of SLOs (src/slo implements it; app/ wires it). Absent: no SLOs are
 * configured, and the reports say so.
 */
export interface SloSource {
  list(at: number): Promise<SloSummary[]>;
  /** The SLI over [from, to): the fraction of good events, or null without data. */
  sliBetween(name: string, from: number, to: number): Promise<number | null>;
}

export interface MaintenanceWindow {
  readonly services: readonly string[];
  readonly start: number;
  readonly end: number;
  readonly reason: string;
}

/** What the reports need of maintenance windows (src/maintenance implements it). */
export interface MaintenanceSource {
  /** Windows that overlap [from, to). */
  between(from: number, to: number): Promise<MaintenanceWindow[]>;
}

/** Everything a report reads; app/ builds it from the running modules. */
export interface ReportSources {
  now(): number;
  readonly incidents: {
    list(filter: IncidentFilter): Promise<Incident[]>;
    detail(id: string): Promise<IncidentDetail>;
  };
  readonly followups: {
    postmortem(incidentId: string): Promise<{ postmortem: Postmortem; stored: boolean }>;
    actionItems(filter: { statuses?: readonly ('open' | 'in_progress' | 'done')[]; incidentId?: string }): Promise<ActionItem[]>;
  };
  /** Declared services with their current state. */
  services(): Promise<ServiceState[]>;
  /** Alert history entries in [from, to), oldest first. */
  alertHistory(from: number, to: number): Promise<AlertRecord[]>;
  readonly query: QueryFn;
  readonly slos?: SloSource;
  readonly maintenance?: MaintenanceSource;
}

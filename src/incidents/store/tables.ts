import type { Generated } from 'kysely';

/** This module's tables as Kysely sees them. JSON columns hold text; times are epoch milliseconds. */
export interface IncidentsTable {
  id: string;
  year: number;
  seq: number;
  title: string;
  severity: string;
  status: string;
  services: string;
  assignee: string | null;
  opened_at: number;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
  mitigated_at: number | null;
  resolved_at: number | null;
  resolved_by: string | null;
  acknowledged_severity: string | null;
  resolved_severity: string | null;
  updated_at: number;
}

export interface TimelineTable {
  id: Generated<number>;
  incident_id: string;
  at: number;
  kind: string;
  actor: string;
  message: string;
  data: string | null;
}

export interface IncidentAlertsTable {
  incident_id: string;
  fingerprint: string;
  labels: string;
  annotations: string;
  status: string;
  starts_at: number;
  ends_at: number | null;
}

export interface IncidentTables {
  incidents: IncidentsTable;
  incident_timeline: TimelineTable;
  incident_alerts: IncidentAlertsTable;
}

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

export interface PostmortemsTable {
  incident_id: string;
  status: string;
  summary: string;
  impact: string;
  detection: string;
  root_cause: string;
  timeline: string;
  resolution: string;
  lessons_learned: string;
  version: number;
  created_at: number;
  updated_at: number;
  updated_by: string;
  published_at: number | null;
}

export interface ActionItemsTable {
  id: Generated<number>;
  incident_id: string;
  title: string;
  owner: string | null;
  due: string | null;
  kind: string;
  status: string;
  created_at: number;
  created_by: string;
  updated_at: number;
  done_at: number | null;
}

export interface IncidentTables {
  incidents: IncidentsTable;
  incident_timeline: TimelineTable;
  incident_alerts: IncidentAlertsTable;
  incident_postmortems: PostmortemsTable;
  incident_action_items: ActionItemsTable;
}

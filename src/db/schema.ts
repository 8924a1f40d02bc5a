import type { Generated } from 'kysely';

/** Table types as Kysely sees them. JSON columns hold text; times are epoch milliseconds. */
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

export interface CheckResultsTable {
  id: Generated<number>;
  check_name: string;
  t: number;
  success: number;
  duration_ms: number;
  message: string;
}

export interface CheckRollupsTable {
  check_name: string;
  hour: number;
  total: number;
  ok: number;
}

export interface CheckStateTable {
  check_name: string;
  state: string;
  updated_at: number;
}

export interface AlertsTable {
  fingerprint: string;
  labels: string;
  annotations: string;
  starts_at: number;
  ends_at: number;
  generator_url: string;
  updated_at: number;
}

export interface NflogTable {
  receiver: string;
  group_key: string;
  entry: string;
  updated_at: number;
}

export interface OutboxTable {
  id: Generated<number>;
  receiver: string;
  job: string;
  status: string;
  created_at: number;
  next_attempt_at: number;
  attempts: number;
  last_error: string | null;
  done_at: number | null;
}

export interface OncallOverridesTable {
  id: string;
  schedule: string;
  person: string;
  start_at: number;
  end_at: number;
  created_at: number;
  created_by: string;
}

export interface EscalationsTable {
  id: Generated<number>;
  receiver: string;
  group_key: string;
  policy: string;
  status: string;
  level: number;
  round: number;
  next_at: number | null;
  started_at: number;
  updated_at: number;
  acked_at: number | null;
  acked_by: string | null;
  acked_via: string | null;
  incident_id: string | null;
  fingerprints: string;
  message: string;
  version: number;
}

export interface EscalationFollowupsTable {
  id: Generated<number>;
  escalation_id: number;
  due_at: number;
  person: string;
  channels: string;
  level: number;
  round: number;
}

export interface Database {
  oncall_overrides: OncallOverridesTable;
  escalations: EscalationsTable;
  escalation_followups: EscalationFollowupsTable;
  page_link_uses: { nonce: string; used_at: number };
  oncall_keys: { name: string; value: string };
  incidents: IncidentsTable;
  incident_timeline: TimelineTable;
  incident_alerts: IncidentAlertsTable;
  check_results: CheckResultsTable;
  check_rollups: CheckRollupsTable;
  check_state: CheckStateTable;
  alerts: AlertsTable;
  nflog: NflogTable;
  outbox: OutboxTable;
}

import type { Incident, IncidentAlert, IncidentDetail, SlaReport, TimelineEntry } from '../incidents/index.js';
import type { IncidentAlertView, IncidentDetailView, IncidentView, TimelineEntryView } from './schemas/index.js';

function iso(t: number): string;
function iso(t: number | null): string | null;
function iso(t: number | null): string | null {
  return t === null ? null : new Date(t).toISOString();
}

export function incidentView(i: Incident, sla: SlaReport): IncidentView {
  return {
    id: i.id,
    title: i.title,
    severity: i.severity,
    status: i.status,
    services: i.services,
    assignee: i.assignee,
    opened_at: iso(i.openedAt),
    acknowledged_at: iso(i.acknowledgedAt),
    acknowledged_by: i.acknowledgedBy,
    mitigated_at: iso(i.mitigatedAt),
    resolved_at: iso(i.resolvedAt),
    resolved_by: i.resolvedBy,
    updated_at: iso(i.updatedAt),
    sla,
  };
}

export function timelineView(e: TimelineEntry): TimelineEntryView {
  return { at: iso(e.at), kind: e.kind, actor: e.actor, message: e.message, ...(e.data ? { data: e.data } : {}) };
}

export function incidentAlertView(a: IncidentAlert): IncidentAlertView {
  return {
    fingerprint: a.fingerprint,
    status: a.status,
    labels: a.labels,
    annotations: a.annotations,
    starts_at: iso(a.startsAt),
    ends_at: iso(a.endsAt),
  };
}

export function incidentDetailView(d: IncidentDetail): IncidentDetailView {
  return { ...incidentView(d.incident, d.sla), alerts: d.alerts.map(incidentAlertView), timeline: d.timeline.map(timelineView) };
}

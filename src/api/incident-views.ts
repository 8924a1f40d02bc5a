import type { Incident, IncidentAlert, IncidentDetail, SlaReport, TimelineEntry } from '../incidents/index.js';

const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());

export function incidentView(i: Incident, sla: SlaReport) {
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

export function timelineView(e: TimelineEntry) {
  return { at: iso(e.at), kind: e.kind, actor: e.actor, message: e.message, ...(e.data ? { data: e.data } : {}) };
}

export function incidentAlertView(a: IncidentAlert) {
  return {
    fingerprint: a.fingerprint,
    status: a.status,
    labels: a.labels,
    annotations: a.annotations,
    starts_at: iso(a.startsAt),
    ends_at: iso(a.endsAt),
  };
}

export function incidentDetailView(d: IncidentDetail) {
  return { ...incidentView(d.incident, d.sla), alerts: d.alerts.map(incidentAlertView), timeline: d.timeline.map(timelineView) };
}

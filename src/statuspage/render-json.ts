import type { PublicIncident, PublicMaintenance, StatusSnapshot } from './page.js';

const iso = (ms: number) => new Date(ms).toISOString();

export interface StatusJson {
  readonly status: { readonly indicator: string; readonly description: string };
  readonly components: ReadonlyArray<{ readonly name: string; readonly service: string; readonly group: string | null; readonly status: string }>;
  readonly incidents: readonly unknown[];
  readonly maintenance: readonly unknown[];
}

/** An incident in Statuspage's field names (`incident_updates`, `created_at`, `shortlink`…). */
export function incidentJson(i: PublicIncident, pageURL: string) {
  return {
    id: i.id,
    name: i.name,
    status: i.status,
    impact: i.impact,
    created_at: iso(i.createdAt),
    updated_at: iso(i.updatedAt),
    resolved_at: i.resolvedAt === null ? null : iso(i.resolvedAt),
    shortlink: `${pageURL}/incidents/${encodeURIComponent(i.id)}`,
    components: i.components,
    incident_updates: i.updates.map((u) => ({ id: String(u.id), status: u.status, body: u.body, created_at: iso(u.at) })),
  };
}

export function maintenanceJson(m: PublicMaintenance) {
  return {
    id: m.id,
    name: m.name,
    status: m.status,
    scheduled_for: iso(m.scheduledFor),
    scheduled_until: iso(m.scheduledUntil),
    components: m.components,
  };
}

/**
 * `/status.json`: exactly `status`, `components`, `incidents`, `maintenance`. `status` is
 * Statuspage's `{indicator, description}`; component states use Statuspage's spellings;
 * incidents are the unresolved public ones and then those resolved within the page's
 * past_incidents_days (each says its `status`); maintenance is in progress or upcoming.
 */
export function statusJson(s: StatusSnapshot, pageURL: string): StatusJson {
  return {
    status: { indicator: s.status.indicator, description: s.status.description },
    components: s.components.map((c) => ({ name: c.name, service: c.service, group: c.group, status: c.status })),
    incidents: [...s.active, ...s.past].map((i) => incidentJson(i, pageURL)),
    maintenance: s.maintenance.map(maintenanceJson),
  };
}

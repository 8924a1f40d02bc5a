import type { Kysely, Selectable } from 'kysely';
import type { Severity } from '../../model/alert.js';
import type { Incident, IncidentAlert, IncidentFilter, IncidentRepo, IncidentStatus, TimelineEntry, TimelineKind } from '../types.js';
import type { IncidentTables, IncidentsTable } from './tables.js';

function toIncident(r: Selectable<IncidentsTable>): Incident {
  return {
    id: r.id,
    title: r.title,
    severity: r.severity as Severity,
    status: r.status as IncidentStatus,
    services: JSON.parse(r.services) as string[],
    assignee: r.assignee,
    openedAt: Number(r.opened_at),
    acknowledgedAt: r.acknowledged_at === null ? null : Number(r.acknowledged_at),
    acknowledgedBy: r.acknowledged_by,
    mitigatedAt: r.mitigated_at === null ? null : Number(r.mitigated_at),
    resolvedAt: r.resolved_at === null ? null : Number(r.resolved_at),
    resolvedBy: r.resolved_by,
    acknowledgedSeverity: r.acknowledged_severity as Severity | null,
    resolvedSeverity: r.resolved_severity as Severity | null,
    updatedAt: Number(r.updated_at),
  };
}

function toRow(i: Incident) {
  return {
    title: i.title,
    severity: i.severity,
    status: i.status,
    services: JSON.stringify(i.services),
    assignee: i.assignee,
    opened_at: i.openedAt,
    acknowledged_at: i.acknowledgedAt,
    acknowledged_by: i.acknowledgedBy,
    mitigated_at: i.mitigatedAt,
    resolved_at: i.resolvedAt,
    resolved_by: i.resolvedBy,
    acknowledged_severity: i.acknowledgedSeverity,
    resolved_severity: i.resolvedSeverity,
    updated_at: i.updatedAt,
  };
}

const ID_RE = /^INC-(\d{4})-(\d+)$/;

export class SqlIncidentRepo implements IncidentRepo {
  constructor(private readonly db: Kysely<IncidentTables>) {}

  async nextId(year: number): Promise<string> {
    const row = await this.db
      .selectFrom('incidents')
      .select((eb) => eb.fn.max('seq').as('max'))
      .where('year', '=', year)
      .executeTakeFirst();
    const n = Number(row?.max ?? 0) + 1;
    return `INC-${year}-${String(n).padStart(4, '0')}`;
  }

  async insert(i: Incident): Promise<void> {
    const m = ID_RE.exec(i.id);
    if (!m) throw new Error(`malformed incident id ${i.id}`);
    await this.db
      .insertInto('incidents')
      .values({ id: i.id, year: Number(m[1]), seq: Number(m[2]), ...toRow(i) })
      .execute();
  }

  async update(i: Incident): Promise<void> {
    await this.db.updateTable('incidents').set(toRow(i)).where('id', '=', i.id).execute();
  }

  async get(id: string): Promise<Incident | undefined> {
    const r = await this.db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toIncident(r) : undefined;
  }

  async list(f: IncidentFilter): Promise<Incident[]> {
    let q = this.db.selectFrom('incidents').selectAll();
    if (f.status === 'open') q = q.where('status', '!=', 'resolved');
    if (f.status === 'resolved') q = q.where('status', '=', 'resolved');
    if (f.overlapping) {
      const { from, to } = f.overlapping;
      q = q.where('opened_at', '<', to).where((eb) => eb.or([eb('resolved_at', 'is', null), eb('resolved_at', '>', from)]));
    }
    q = q.orderBy('opened_at', 'desc').orderBy('id', 'desc');
    if (f.limit !== undefined) q = q.limit(f.limit);
    return (await q.execute()).map(toIncident);
  }

  async findOpenByService(service: string): Promise<Incident | undefined> {
    const rows = await this.db
      .selectFrom('incidents')
      .selectAll()
      .where('status', '!=', 'resolved')
      .orderBy('opened_at', 'desc')
      .execute();
    return rows.map(toIncident).find((i) => i.services.includes(service));
  }

  async findOpenByAlert(fp: string): Promise<Incident | undefined> {
    const r = await this.db
      .selectFrom('incidents')
      .innerJoin('incident_alerts', 'incident_alerts.incident_id', 'incidents.id')
      .selectAll('incidents')
      .where('incident_alerts.fingerprint', '=', fp)
      .where('incidents.status', '!=', 'resolved')
      .orderBy('incidents.opened_at', 'desc')
      .executeTakeFirst();
    return r ? toIncident(r) : undefined;
  }

  async findOpenByAlerts(fps: readonly string[]): Promise<Map<string, Incident>> {
    const out = new Map<string, Incident>();
    const unique = [...new Set(fps)];
    // In slices, to stay under the databases' bound-parameter limits.
    for (let i = 0; i < unique.length; i += 500) {
      const rows = await this.db
        .selectFrom('incidents')
        .innerJoin('incident_alerts', 'incident_alerts.incident_id', 'incidents.id')
        .selectAll('incidents')
        .select('incident_alerts.fingerprint as linked_fingerprint')
        .where('incident_alerts.fingerprint', 'in', unique.slice(i, i + 500))
        .where('incidents.status', '!=', 'resolved')
        .orderBy('incidents.opened_at', 'desc')
        .execute();
      // Newest first: the first row of a fingerprint is the incident findOpenByAlert returns.
      for (const r of rows) if (!out.has(r.linked_fingerprint)) out.set(r.linked_fingerprint, toIncident(r));
    }
    return out;
  }

  async addTimeline(e: TimelineEntry): Promise<void> {
    await this.db
      .insertInto('incident_timeline')
      .values({ incident_id: e.incidentId, at: e.at, kind: e.kind, actor: e.actor, message: e.message, data: e.data ? JSON.stringify(e.data) : null })
      .execute();
  }

  async timeline(id: string): Promise<TimelineEntry[]> {
    const rows = await this.db.selectFrom('incident_timeline').selectAll().where('incident_id', '=', id).orderBy('id').execute();
    return rows.map((r) => ({
      incidentId: r.incident_id,
      at: Number(r.at),
      kind: r.kind as TimelineKind,
      actor: r.actor,
      message: r.message,
      ...(r.data ? { data: JSON.parse(r.data) as Record<string, unknown> } : {}),
    }));
  }

  async upsertAlert(a: IncidentAlert): Promise<void> {
    const values = {
      labels: JSON.stringify(a.labels),
      annotations: JSON.stringify(a.annotations),
      status: a.status,
      starts_at: a.startsAt,
      ends_at: a.endsAt,
    };
    await this.db
      .insertInto('incident_alerts')
      .values({ incident_id: a.incidentId, fingerprint: a.fingerprint, ...values })
      .onConflict((oc) => oc.columns(['incident_id', 'fingerprint']).doUpdateSet(values))
      .execute();
  }

  async alerts(id: string): Promise<IncidentAlert[]> {
    const rows = await this.db.selectFrom('incident_alerts').selectAll().where('incident_id', '=', id).orderBy('starts_at').execute();
    return rows.map((r) => ({
      incidentId: r.incident_id,
      fingerprint: r.fingerprint,
      labels: JSON.parse(r.labels) as Record<string, string>,
      annotations: JSON.parse(r.annotations) as Record<string, string>,
      status: r.status as 'firing' | 'resolved',
      startsAt: Number(r.starts_at),
      endsAt: r.ends_at === null ? null : Number(r.ends_at),
    }));
  }
}

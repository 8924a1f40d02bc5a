import type { Alert, AlertEvent, Severity } from '../model/alert.js';
import { compareSeverity, isSeverity } from '../model/alert.js';
import type { Clock } from '../model/clock.js';
import { fingerprint } from '../model/labels.js';
import { conflict, invalid, notFound } from '../model/errors.js';
import type { IncidentsConfig } from './config.js';
import type { Incident, IncidentAlert, IncidentFilter, IncidentRepo, IncidentStatus, TimelineEntry, TimelineKind } from './types.js';
import { slaReport, type SlaReport } from './sla.js';

export type { AlertEvent };

export interface IncidentDetail {
  readonly incident: Incident;
  readonly timeline: TimelineEntry[];
  readonly alerts: IncidentAlert[];
  readonly sla: SlaReport;
}

export interface NotificationOutcome {
  readonly receiver: string;
  readonly fingerprints: readonly string[];
  readonly ok: boolean;
  readonly status: 'firing' | 'resolved';
  readonly error?: string;
  readonly attempts?: number;
  /** The first failed attempt of a delivery that will be retried. */
  readonly retrying?: boolean;
}

export interface DeclareIncident {
  readonly title: string;
  readonly severity: Severity;
  readonly services: readonly string[];
  readonly summary?: string;
}

export interface IncidentServiceOptions {
  readonly repo: IncidentRepo;
  readonly config: IncidentsConfig;
  readonly clock: Clock;
  /** Called after every change, e.g. to update metrics or push to UIs. */
  readonly onChange?: (incident: Incident) => void;
}

export const AUTOMATION_ACTOR = 'vigil';

/**
 * The incident lifecycle: alerts open or join incidents, responders move them through
 * triggered → acknowledged → mitigated → resolved, and everything lands on the timeline.
 * All mutations are serialized so two alerts of one service racing in open one incident.
 */
export class IncidentService {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: IncidentServiceOptions) {}

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private get repo(): IncidentRepo {
    return this.opts.repo;
  }

  private now(): number {
    return this.opts.clock.now();
  }

  handleAlert(ev: AlertEvent): Promise<Incident | undefined> {
    return this.serial(() => (ev.kind === 'firing' ? this.onFiring(ev.alert) : this.onResolved(ev.alert)));
  }

  private async onFiring(alert: Alert): Promise<Incident | undefined> {
    const severity = alert.labels['severity'];
    if (!isSeverity(severity) || !this.opts.config.open_for_severities.includes(severity)) return undefined;
    const fp = fingerprint(alert.labels);
    const service = alert.labels['service'] ?? '';
    const now = this.now();
    let incident = (await this.repo.findOpenByAlert(fp)) ?? (service ? await this.repo.findOpenByService(service) : undefined);
    const name = alert.labels['alertname'] ?? 'alert';
    const desc = alert.annotations['description'] ? `: ${alert.annotations['description']}` : '';
    if (!incident) {
      const id = await this.repo.nextId(new Date(now).getUTCFullYear());
      incident = {
        id,
        title: alert.annotations['summary'] ?? `${name} firing${service ? ` on ${service}` : ''}`,
        severity,
        status: 'triggered',
        services: service ? [service] : [],
        assignee: null,
        openedAt: now,
        acknowledgedAt: null,
        acknowledgedBy: null,
        mitigatedAt: null,
        resolvedAt: null,
        resolvedBy: null,
        acknowledgedSeverity: null,
        resolvedSeverity: null,
        updatedAt: now,
      };
      await this.repo.insert(incident);
      await this.log(incident.id, 'opened', AUTOMATION_ACTOR, `Incident opened by alert ${name}${service ? ` (${service})` : ''}`, { fingerprint: fp });
    } else {
      let changed: Incident = incident;
      if (service && !incident.services.includes(service)) {
        changed = { ...changed, services: [...changed.services, service] };
        await this.log(incident.id, 'service_added', AUTOMATION_ACTOR, `Service ${service} affected`);
      }
      if (compareSeverity(severity, incident.severity) < 0) {
        changed = { ...changed, severity };
        await this.log(incident.id, 'severity_changed', AUTOMATION_ACTOR, `Severity raised from ${incident.severity} to ${severity} by alert ${name}`);
      }
      if (incident.status === 'mitigated') {
        const back: IncidentStatus = incident.acknowledgedAt !== null ? 'acknowledged' : 'triggered';
        changed = { ...changed, status: back, mitigatedAt: null };
        await this.log(incident.id, 'status_changed', AUTOMATION_ACTOR, `Alert ${name} fired again: status back to ${back}`, { from: 'mitigated', to: back });
      }
      if (changed !== incident) {
        incident = { ...changed, updatedAt: now };
        await this.repo.update(incident);
      }
    }
    const existing = (await this.repo.alerts(incident.id)).find((a) => a.fingerprint === fp);
    if (!existing || existing.status !== 'firing') {
      await this.repo.upsertAlert({
        incidentId: incident.id,
        fingerprint: fp,
        labels: alert.labels,
        annotations: alert.annotations,
        status: 'firing',
        startsAt: alert.startsAt,
        endsAt: null,
      });
      await this.log(incident.id, 'alert_firing', AUTOMATION_ACTOR, `Alert ${name} firing${desc}`, { fingerprint: fp, labels: alert.labels });
    }
    this.opts.onChange?.(incident);
    return incident;
  }

  private async onResolved(alert: Alert): Promise<Incident | undefined> {
    const fp = fingerprint(alert.labels);
    const incident = await this.repo.findOpenByAlert(fp);
    if (!incident) return undefined;
    const name = alert.labels['alertname'] ?? 'alert';
    const linked = await this.repo.alerts(incident.id);
    const mine = linked.find((a) => a.fingerprint === fp);
    if (mine && mine.status === 'resolved') return incident;
    await this.repo.upsertAlert({
      incidentId: incident.id,
      fingerprint: fp,
      labels: alert.labels,
      annotations: alert.annotations,
      status: 'resolved',
      startsAt: alert.startsAt,
      endsAt: alert.endsAt || this.now(),
    });
    await this.log(incident.id, 'alert_resolved', AUTOMATION_ACTOR, `Alert ${name} resolved`, { fingerprint: fp });
    const stillFiring = linked.some((a) => a.fingerprint !== fp && a.status === 'firing');
    let result = incident;
    if (!stillFiring) {
      const policy = this.opts.config.on_alerts_resolved;
      if (policy === 'resolve') {
        result = await this.transition(incident, 'resolved', AUTOMATION_ACTOR, 'All alerts resolved');
      } else if (policy === 'mitigate' && (incident.status === 'triggered' || incident.status === 'acknowledged')) {
        result = await this.transition(incident, 'mitigated', AUTOMATION_ACTOR, 'All alerts resolved; waiting for a responder to resolve');
      }
    }
    this.opts.onChange?.(result);
    return result;
  }

  private async transition(incident: Incident, to: IncidentStatus, actor: string, why?: string): Promise<Incident> {
    const now = this.now();
    const next: Incident = {
      ...incident,
      status: to,
      updatedAt: now,
      ...(to === 'acknowledged' ? { acknowledgedAt: now, acknowledgedBy: actor, acknowledgedSeverity: incident.severity } : {}),
      ...(to === 'mitigated' ? { mitigatedAt: now } : {}),
      ...(to === 'resolved'
        ? {
            resolvedAt: now,
            resolvedBy: actor,
            mitigatedAt: incident.mitigatedAt ?? now,
            resolvedSeverity: incident.severity,
            acknowledgedSeverity: incident.acknowledgedSeverity ?? incident.severity,
          }
        : {}),
    };
    await this.repo.update(next);
    await this.log(incident.id, 'status_changed', actor, `Status ${incident.status} → ${to} by ${actor}${why ? `: ${why}` : ''}`, {
      from: incident.status,
      to,
    });
    return next;
  }

  private async mustGet(id: string): Promise<Incident> {
    const inc = await this.repo.get(id);
    if (!inc) throw notFound(`incident ${id}`);
    return inc;
  }

  acknowledge(id: string, actor: string): Promise<Incident> {
    return this.serial(async () => {
      const inc = await this.mustGet(id);
      if (inc.status !== 'triggered') throw conflict(`incident ${id} is ${inc.status}; only a triggered incident can be acknowledged`);
      const next = await this.transition(inc, 'acknowledged', actor);
      this.opts.onChange?.(next);
      return next;
    });
  }

  mitigate(id: string, actor: string, note?: string): Promise<Incident> {
    return this.serial(async () => {
      const inc = await this.mustGet(id);
      if (inc.status !== 'triggered' && inc.status !== 'acknowledged') {
        throw conflict(`incident ${id} is ${inc.status}; only a triggered or acknowledged incident can be mitigated`);
      }
      const next = await this.transition(inc, 'mitigated', actor, note);
      this.opts.onChange?.(next);
      return next;
    });
  }

  resolve(id: string, actor: string, note?: string): Promise<Incident> {
    return this.serial(async () => {
      const inc = await this.mustGet(id);
      if (inc.status === 'resolved') throw conflict(`incident ${id} is already resolved`);
      const next = await this.transition(inc, 'resolved', actor, note);
      this.opts.onChange?.(next);
      return next;
    });
  }

  addNote(id: string, actor: string, text: string): Promise<TimelineEntry> {
    return this.serial(async () => {
      const body = text.trim();
      if (!body) throw invalid('a note needs text');
      await this.mustGet(id);
      return this.log(id, 'note', actor, body);
    });
  }

  assign(id: string, actor: string, assignee: string | null): Promise<Incident> {
    return this.serial(async () => {
      const inc = await this.mustGet(id);
      const next = { ...inc, assignee, updatedAt: this.now() };
      await this.repo.update(next);
      await this.log(id, 'assigned', actor, assignee ? `Assigned to ${assignee} by ${actor}` : `Unassigned by ${actor}`, { assignee });
      return next;
    });
  }

  setSeverity(id: string, actor: string, severity: Severity): Promise<Incident> {
    return this.serial(async () => {
      const inc = await this.mustGet(id);
      if (inc.severity === severity) return inc;
      const next = { ...inc, severity, updatedAt: this.now() };
      await this.repo.update(next);
      await this.log(id, 'severity_changed', actor, `Severity ${inc.severity} → ${severity} by ${actor}`, { from: inc.severity, to: severity });
      return next;
    });
  }

  /**
   * Declares an incident by hand, without an alert (a customer report, a failed deploy). It
   * is acknowledged by whoever declares it; alerts of its services join it like any other.
   */
  declare(input: DeclareIncident, actor: string): Promise<Incident> {
    return this.serial(async () => {
      const title = input.title.trim();
      if (!title) throw invalid('an incident needs a title');
      const services = [...new Set(input.services.map((s) => s.trim()).filter(Boolean))];
      const now = this.now();
      const id = await this.repo.nextId(new Date(now).getUTCFullYear());
      const incident: Incident = {
        id,
        title,
        severity: input.severity,
        status: 'acknowledged',
        services,
        assignee: null,
        openedAt: now,
        acknowledgedAt: now,
        acknowledgedBy: actor,
        mitigatedAt: null,
        resolvedAt: null,
        resolvedBy: null,
        acknowledgedSeverity: input.severity,
        resolvedSeverity: null,
        updatedAt: now,
      };
      await this.repo.insert(incident);
      const summary = input.summary?.trim();
      await this.log(id, 'opened', actor, `Incident declared by ${actor}${services.length ? ` (${services.join(', ')})` : ''}${summary ? `: ${summary}` : ''}`, {
        declared: true,
        ...(summary ? { summary } : {}),
      });
      this.opts.onChange?.(incident);
      return incident;
    });
  }

  /**
   * Reopens a resolved incident (the fix did not hold). It goes back to acknowledged — a
   * person reopened it — and time to resolve runs again; the acknowledgement verdict already
   * given stands (resolving without acknowledging counted as acknowledging then).
   */
  reopen(id: string, actor: string, why?: string): Promise<Incident> {
    return this.serial(async () => {
      const inc = await this.mustGet(id);
      if (inc.status !== 'resolved') throw conflict(`incident ${id} is ${inc.status}; only a resolved incident can be reopened`);
      const now = this.now();
      const next: Incident = {
        ...inc,
        status: 'acknowledged',
        acknowledgedAt: inc.acknowledgedAt ?? inc.resolvedAt,
        acknowledgedBy: inc.acknowledgedBy ?? inc.resolvedBy,
        acknowledgedSeverity: inc.acknowledgedSeverity ?? inc.resolvedSeverity ?? inc.severity,
        mitigatedAt: null,
        resolvedAt: null,
        resolvedBy: null,
        resolvedSeverity: null,
        updatedAt: now,
      };
      await this.repo.update(next);
      await this.log(id, 'status_changed', actor, `Reopened by ${actor}${why ? `: ${why}` : ''}`, { from: 'resolved', to: 'acknowledged', reopened: true });
      this.opts.onChange?.(next);
      return next;
    });
  }

  /** Records a delivered or abandoned notification on every open incident that links one of its alerts. */
  recordNotification(o: NotificationOutcome): Promise<void> {
    return this.serial(async () => {
      const seen = new Set<string>();
      const open = await this.repo.findOpenByAlerts(o.fingerprints);
      for (const fp of o.fingerprints) {
        const inc = open.get(fp);
        if (!inc || seen.has(inc.id)) continue;
        seen.add(inc.id);
        const after = o.attempts && o.attempts > 1 ? ` after ${o.attempts} attempts` : '';
        if (o.ok) {
          await this.log(inc.id, 'notification_sent', AUTOMATION_ACTOR, `Notification (${o.status}) sent to ${o.receiver}${after}`, { receiver: o.receiver, attempts: o.attempts ?? 1 });
        } else if (o.retrying) {
          await this.log(inc.id, 'notification_failed', AUTOMATION_ACTOR, `Notification (${o.status}) to ${o.receiver} failed: ${o.error ?? 'unknown error'}; retrying (further failed attempts are summarized when it is sent or given up)`, {
            receiver: o.receiver,
            retrying: true,
          });
        } else {
          await this.log(inc.id, 'notification_failed', AUTOMATION_ACTOR, `Notification (${o.status}) to ${o.receiver} failed${o.attempts ? ` after ${o.attempts} attempts` : ''}: ${o.error ?? 'unknown error'}`, {
            receiver: o.receiver,
          });
        }
      }
    });
  }

  /** The open incident one of these alerts belongs to, if any. */
  async findOpenByAlerts(fingerprints: readonly string[]): Promise<Incident | undefined> {
    const open = await this.repo.findOpenByAlerts(fingerprints);
    for (const fp of fingerprints) {
      const inc = open.get(fp);
      if (inc) return inc;
    }
    return undefined;
  }

  /** Adds an entry written by another module (paging: escalation steps, pages sent, delivered or failed). */
  record(id: string, kind: TimelineKind, actor: string, message: string, data?: Record<string, unknown>): Promise<TimelineEntry> {
    return this.serial(async () => this.log(id, kind, actor, message, data));
  }

  list(filter: IncidentFilter): Promise<Incident[]> {
    return this.repo.list(filter);
  }

  /** The incident or a not-found error. */
  get(id: string): Promise<Incident> {
    return this.mustGet(id);
  }

  async detail(id: string): Promise<IncidentDetail> {
    const incident = await this.mustGet(id);
    const [timeline, alerts] = await Promise.all([this.repo.timeline(id), this.repo.alerts(id)]);
    return { incident, timeline, alerts, sla: this.sla(incident) };
  }

  sla(incident: Incident): SlaReport {
    return slaReport(incident, this.opts.config.severities, this.now());
  }

  private async log(incidentId: string, kind: TimelineKind, actor: string, message: string, data?: Record<string, unknown>): Promise<TimelineEntry> {
    const entry: TimelineEntry = { incidentId, at: this.now(), kind, actor, message, ...(data ? { data } : {}) };
    await this.repo.addTimeline(entry);
    return entry;
  }
}

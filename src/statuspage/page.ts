import type { StatusPageConfig } from './config.js';
import { componentStatus, incidentImpact, overallStatus } from './state.js';
import { dayBars, type DayBar } from './uptime.js';
import type { CheckInput, ComponentStatus, DailyCounts, IncidentInput, Indicator, MaintenanceSource, PlannedWindow, PublicUpdate, UpdateStatus } from './types.js';
import type { UpdateStore } from './update-store.js';

export interface PublicComponent {
  readonly name: string;
  readonly service: string;
  readonly group: string | null;
  readonly description: string | null;
  readonly status: ComponentStatus;
  /** One bar per day, oldest first, and the ratio of successful check results over them (null: no data). */
  readonly uptime: { readonly days: readonly DayBar[]; readonly ratio: number | null };
}

export interface PublicIncident {
  readonly id: string;
  readonly name: string;
  readonly status: UpdateStatus;
  readonly impact: Exclude<Indicator, 'maintenance'>;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly resolvedAt: number | null;
  /** Names of the page's components it affects. */
  readonly components: readonly string[];
  /** Newest first; the author is not part of the public view. */
  readonly updates: ReadonlyArray<{ readonly id: number; readonly status: UpdateStatus; readonly body: string; readonly at: number }>;
}

export interface PublicMaintenance {
  readonly id: string;
  readonly name: string;
  readonly status: 'scheduled' | 'in_progress' | 'completed';
  readonly scheduledFor: number;
  readonly scheduledUntil: number;
  readonly components: readonly string[];
}

export interface StatusSnapshot {
  readonly title: string;
  readonly description: string | null;
  readonly generatedAt: number;
  readonly status: { readonly indicator: Indicator; readonly description: string };
  readonly components: readonly PublicComponent[];
  /** Unresolved public incidents, newest first. */
  readonly active: readonly PublicIncident[];
  /** Resolved public incidents of the last `past_incidents_days`, newest first. */
  readonly past: readonly PublicIncident[];
  /** Maintenance in progress, then upcoming, by start time. */
  readonly maintenance: readonly PublicMaintenance[];
}

export interface StatusPageDeps {
  readonly config: StatusPageConfig;
  readonly checks: { statuses(): Promise<readonly CheckInput[]> };
  readonly incidents: {
    /** `overlapping`: only incidents open at some time in [from, to) — for resolved ones, resolved after `from`. */
    list(filter: { status: 'open' | 'resolved'; limit?: number; overlapping?: { from: number; to: number } }): Promise<readonly IncidentInput[]>;
  };
  /** Maintenance windows; absent until the maintenance module is wired. */
  readonly maintenance?: MaintenanceSource | undefined;
  readonly updates: UpdateStore;
  /** Daily counts of check results summed over `checks`, days in [from, to). */
  readonly daily: (checks: readonly string[], from: number, to: number) => Promise<DailyCounts[]>;
  readonly now: () => number;
  /** How long a built snapshot is served before it is built again, ms. Default 5 s. */
  readonly cacheMs?: number;
}

const DAY = 86_400_000;

/** A maintenance window as the public sees it: its reason is its name; `components` are the page's names of its services. */
export function publicMaintenance(w: PlannedWindow, now: number, components: readonly string[]): PublicMaintenance {
  return {
    id: w.id,
    name: w.reason || 'Scheduled maintenance',
    status: now < w.start ? 'scheduled' : now < w.end ? 'in_progress' : 'completed',
    scheduledFor: w.start,
    scheduledUntil: w.end,
    components,
  };
}
const NO_WINDOWS: MaintenanceSource = { active: () => [], upcoming: () => [], overlapping: () => [] };

/**
 * The public status page's content, built from checks, incidents, their public updates,
 * maintenance windows and the daily check history. Only what is meant for the public leaves
 * here: incidents appear once a responder has posted a public update (their internal title,
 * notes and timeline never do); maintenance appears when it covers a component.
 */
export class StatusPage {
  private cached: { at: number; snapshot: Promise<StatusSnapshot> } | undefined;

  constructor(private readonly deps: StatusPageDeps) {}

  get config(): StatusPageConfig {
    return this.deps.config;
  }

  /** Forgets the cached snapshot (after a public update, so its author sees it at once). */
  invalidate(): void {
    this.cached = undefined;
  }

  snapshot(): Promise<StatusSnapshot> {
    const now = this.deps.now();
    if (this.cached && now - this.cached.at < (this.deps.cacheMs ?? 5000) && now >= this.cached.at) return this.cached.snapshot;
    const snapshot = this.build(now);
    this.cached = { at: now, snapshot };
    snapshot.catch(() => {
      if (this.cached?.snapshot === snapshot) this.cached = undefined;
    });
    return snapshot;
  }

  private async build(now: number): Promise<StatusSnapshot> {
    const c = this.deps.config;
    const windows = this.deps.maintenance ?? NO_WINDOWS;
    const since = now - c.past_incidents_days * DAY;
    // Every incident resolved in the period, however many (a count limit would drop the
    // long-running ones first: the store orders by opening time).
    const [checks, open, resolved] = await Promise.all([
      this.deps.checks.statuses(),
      this.deps.incidents.list({ status: 'open' }),
      this.deps.incidents.list({ status: 'resolved', overlapping: { from: since, to: now + 1 } }),
    ]);
    const activeWindows = windows.active(now);
    const today = Math.floor(now / DAY) * DAY;
    const from = today - (c.uptime_days - 1) * DAY;
    const components = await Promise.all(
      c.components.map(async (comp): Promise<PublicComponent> => {
        const names = checks.filter((ch) => ch.check.service === comp.service).map((ch) => ch.check.name);
        const counts = names.length ? await this.deps.daily(names, from, today + DAY) : [];
        return {
          name: comp.name ?? comp.service,
          service: comp.service,
          group: comp.group ?? null,
          description: comp.description ?? null,
          status: componentStatus(comp.service, checks, open, activeWindows),
          uptime: dayBars(counts, from, c.uptime_days),
        };
      }),
    );
    const componentNames = (services: readonly string[]) => components.filter((x) => services.includes(x.service)).map((x) => x.name);

    const candidates = [...open, ...resolved.filter((i) => i.resolvedAt !== null && i.resolvedAt >= since)];
    const updates = await this.deps.updates.forIncidents(candidates.map((i) => i.id));
    const byIncident = new Map<string, PublicUpdate[]>();
    for (const u of updates) {
      const list = byIncident.get(u.incidentId) ?? [];
      list.push(u);
      byIncident.set(u.incidentId, list);
    }
    const incidents: PublicIncident[] = [];
    for (const inc of candidates) {
      const mine = (byIncident.get(inc.id) ?? []).sort((a, b) => b.at - a.at || b.id - a.id);
      const latest = mine[0];
      if (!latest) continue;
      const resolvedAt = inc.resolvedAt ?? (latest.status === 'resolved' ? latest.at : null);
      incidents.push({
        id: inc.id,
        name: mine.find((u) => u.title !== null)?.title ?? inc.title,
        status: inc.resolvedAt !== null ? 'resolved' : latest.status,
        impact: incidentImpact(inc.severity),
        createdAt: inc.openedAt,
        updatedAt: Math.max(latest.at, inc.resolvedAt ?? 0),
        resolvedAt,
        components: componentNames(inc.services),
        updates: mine.map((u) => ({ id: u.id, status: u.status, body: u.message, at: u.at })),
      });
    }
    incidents.sort((a, b) => b.createdAt - a.createdAt);
    const active = incidents.filter((i) => i.status !== 'resolved');
    const past = incidents.filter((i) => i.status === 'resolved');

    const services = new Set(c.components.map((x) => x.service));
    const covers = (w: PlannedWindow) => w.services.some((s) => services.has(s));
    const maintenance = [...activeWindows.filter(covers), ...windows.upcoming(now).filter(covers)].map((w) => publicMaintenance(w, now, componentNames(w.services)));
    return {
      title: c.title,
      description: c.description ?? null,
      generatedAt: now,
      status: overallStatus(
        components.map((x) => x.status),
        active.map((i) => i.impact),
      ),
      components,
      active,
      past,
      maintenance,
    };
  }
}

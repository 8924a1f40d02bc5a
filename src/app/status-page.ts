import type { Kysely } from 'kysely';
import { registerStatusPageRoutes, type RouteModule } from '../api/index.js';
import type { VigilConfig } from '../config/index.js';
import type { IncidentService } from '../incidents/index.js';
import type { Clock } from '../model/clock.js';
import type { CheckRuntime } from '../probes/index.js';
import type { SqlCheckStore } from '../probes/store/sql-check-store.js';
import { PublicUpdates, StatusPage, type MaintenanceSource, type PageLinks } from '../statuspage/index.js';
import { SqlUpdateStore } from '../statuspage/store/sql-update-store.js';
import type { StatusTables } from '../statuspage/store/tables.js';

export interface StatusPageWiring {
  readonly config: VigilConfig;
  readonly db: Kysely<StatusTables>;
  readonly checks: CheckRuntime;
  readonly checkStore: SqlCheckStore;
  readonly incidents: IncidentService;
  readonly clock: Clock;
  readonly externalURL: string;
  /** Maintenance windows, once the maintenance module is wired. */
  readonly maintenance?: MaintenanceSource;
}

/** Where the public pages live under server.external_url (a proxy may serve Vigil under a path). */
export function statusLinks(externalURL: string): { links: PageLinks; url: string } {
  const root = externalURL.replace(/\/+$/, '');
  const base = `${new URL(root).pathname.replace(/\/+$/, '')}/status`;
  return { links: { base, json: `${base}.json`, feed: `${base}/feed.atom` }, url: `${root}/status` };
}

/** Builds the status page, its public updates and their routes. */
export function buildStatusPage(w: StatusPageWiring): { route: RouteModule; page: StatusPage | undefined; updates: PublicUpdates } {
  const sc = w.config.status_page;
  const page = sc
    ? new StatusPage({
        config: sc,
        checks: w.checks,
        incidents: w.incidents,
        ...(w.maintenance ? { maintenance: w.maintenance } : {}),
        updates: new SqlUpdateStore(w.db),
        daily: (checks, from, to) => w.checkStore.daily(checks, from, to),
        now: () => w.clock.now(),
      })
    : undefined;
  const updates = new PublicUpdates({
    store: new SqlUpdateStore(w.db),
    incident: async (id) => (await w.incidents.detail(id)).incident,
    now: () => w.clock.now(),
    onPosted: async (u) => {
      page?.invalidate();
      await w.incidents.record(u.incidentId, 'public_update', u.author, `Public update (${u.status})${u.title ? ` titled "${u.title}"` : ''}: ${u.message}`, { status: u.status, update_id: u.id });
    },
  });
  const { links, url } = statusLinks(w.externalURL);
  const route: RouteModule = (a) =>
    registerStatusPageRoutes(a, {
      updates,
      ...(page ? { page: { page, links, url, subscribe: { email: false, webhook: false } } } : {}),
    });
  return { route, page, updates };
}

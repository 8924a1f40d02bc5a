import type { Kysely } from 'kysely';
import type { AlertPipeline } from '../alerts/index.js';
import type { VigilConfig } from '../config/index.js';
import type { Clock } from '../model/clock.js';
import { MaintenanceService } from '../maintenance/index.js';
import { SqlMaintenanceStore } from '../maintenance/store/sql-maintenance-store.js';
import type { MaintenanceTables } from '../maintenance/store/tables.js';
import type { Logger } from './logger.js';

/**
 * Maintenance windows in the server: the config's and the API's (persisted), a muting stage of
 * the one alert pipeline (its alerts reach nobody while a window covers their service), and,
 * when a window ends or changes, the still-firing alerts it held back announced again so that
 * incidents open for what is still broken.
 */
export async function createMaintenance(o: { db: Kysely<unknown>; config: VigilConfig; clock: Clock; pipeline: AlertPipeline; logger: Logger }): Promise<MaintenanceService> {
  const svc = new MaintenanceService({ store: new SqlMaintenanceStore(o.db as Kysely<MaintenanceTables>), clock: o.clock, configured: o.config.maintenance });
  o.pipeline.addMuter(svc.muter());
  svc.subscribe((ev) => {
    o.logger.info({ window: ev.window.id, services: ev.window.services, reason: ev.window.reason }, `maintenance window ${ev.kind}`);
    // An ended window lets go of its services' alerts; a changed one may have dropped services.
    if (ev.kind === 'ended' || ev.kind === 'updated') o.pipeline.reannounce((a) => a.labels['service'] !== undefined);
  });
  await svc.start();
  return svc;
}

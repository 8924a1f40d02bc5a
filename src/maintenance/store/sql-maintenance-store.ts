import type { Kysely, Selectable } from 'kysely';
import type { MaintenanceStore, MaintenanceWindow } from '../types.js';
import type { MaintenanceTables, MaintenanceWindowsTable } from './tables.js';

function toWindow(r: Selectable<MaintenanceWindowsTable>): MaintenanceWindow {
  return {
    id: r.id,
    services: JSON.parse(r.services) as string[],
    start: Number(r.start_at),
    end: Number(r.end_at),
    reason: r.reason,
    source: 'api',
    createdBy: r.created_by,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    endedEarlyBy: r.ended_early_by,
    plannedEnd: r.planned_end_at === null ? null : Number(r.planned_end_at),
  };
}

function toRow(w: MaintenanceWindow): MaintenanceWindowsTable {
  return {
    id: w.id,
    services: JSON.stringify(w.services),
    start_at: w.start,
    end_at: w.end,
    reason: w.reason,
    created_by: w.createdBy,
    created_at: w.createdAt,
    updated_at: w.updatedAt,
    ended_early_by: w.endedEarlyBy,
    planned_end_at: w.plannedEnd,
  };
}

/** Maintenance windows created through the API, one row each. */
export class SqlMaintenanceStore implements MaintenanceStore {
  constructor(private readonly db: Kysely<MaintenanceTables>) {}

  async all(): Promise<MaintenanceWindow[]> {
    const rows = await this.db.selectFrom('maintenance_windows').selectAll().orderBy('start_at').orderBy('id').execute();
    return rows.map(toWindow);
  }

  async insert(w: MaintenanceWindow): Promise<void> {
    await this.db.insertInto('maintenance_windows').values(toRow(w)).execute();
  }

  async update(w: MaintenanceWindow): Promise<void> {
    const { id, ...rest } = toRow(w);
    await this.db.updateTable('maintenance_windows').set(rest).where('id', '=', id).execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('maintenance_windows').where('id', '=', id).execute();
  }

  async prune(before: number): Promise<number> {
    const r = await this.db.deleteFrom('maintenance_windows').where('end_at', '<', before).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}

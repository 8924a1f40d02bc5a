/** This module's table as Kysely sees it. `services` holds a JSON array; times are epoch milliseconds. */
export interface MaintenanceWindowsTable {
  id: string;
  services: string;
  start_at: number;
  end_at: number;
  reason: string;
  created_by: string;
  created_at: number;
  updated_at: number;
  ended_early_by: string | null;
  planned_end_at: number | null;
}

export interface MaintenanceTables {
  maintenance_windows: MaintenanceWindowsTable;
}

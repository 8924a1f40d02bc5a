import type { Generated } from 'kysely';

/** This module's tables as Kysely sees them. JSON columns hold text; times are epoch milliseconds. */
export interface CheckResultsTable {
  id: Generated<number>;
  check_name: string;
  t: number;
  success: number;
  duration_ms: number;
  message: string;
}

export interface CheckRollupsTable {
  check_name: string;
  hour: number;
  total: number;
  ok: number;
}

export interface CheckDailyTable {
  check_name: string;
  /** UTC midnight of the day, ms. */
  day: number;
  total: number;
  ok: number;
}

export interface CheckStateTable {
  check_name: string;
  state: string;
  updated_at: number;
}

export interface CheckTables {
  check_results: CheckResultsTable;
  check_rollups: CheckRollupsTable;
  check_state: CheckStateTable;
  check_daily: CheckDailyTable;
}

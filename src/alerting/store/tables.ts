/** This module's tables as Kysely sees them. Times are epoch milliseconds. */
export interface SilencesTable {
  id: string;
  /** JSON: [{name, value, isRegex, isEqual}] */
  matchers: string;
  starts_at: number;
  ends_at: number;
  updated_at: number;
  created_by: string;
  comment: string;
}

export interface AlertingTables {
  silences: SilencesTable;
}

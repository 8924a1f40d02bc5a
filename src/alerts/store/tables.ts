import type { Generated } from 'kysely';

/** This module's tables as Kysely sees them. JSON columns hold text; times are epoch milliseconds. */
export interface AlertsTable {
  fingerprint: string;
  labels: string;
  annotations: string;
  starts_at: number;
  ends_at: number;
  generator_url: string;
  updated_at: number;
  source: Generated<string>;
  timeout: Generated<number>;
}

export interface NflogTable {
  receiver: string;
  group_key: string;
  entry: string;
  updated_at: number;
}

export interface AlertHistoryTable {
  id: Generated<number>;
  fingerprint: string;
  at: number;
  kind: string;
  /** JSON: labels, stage, by, receiver, detail. */
  entry: string;
}

export interface AlertTables {
  alert_history: AlertHistoryTable;
  alerts: AlertsTable;
  nflog: NflogTable;
}

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

/** Each alert of the history once, with its labels (JSON): the label filter's candidates. */
export interface AlertHistoryAlertsTable {
  fingerprint: string;
  labels: string;
}

/** One row per label of each alert of the history, keyed (name, value, fingerprint): the label filter's index. */
export interface AlertHistoryLabelsTable {
  name: string;
  value: string;
  fingerprint: string;
}

export interface AlertTables {
  alert_history: AlertHistoryTable;
  alert_history_alerts: AlertHistoryAlertsTable;
  alert_history_labels: AlertHistoryLabelsTable;
  alerts: AlertsTable;
  nflog: NflogTable;
}

import type { Generated } from 'kysely';

/** This module's tables as Kysely sees them; times are epoch milliseconds. */
export interface StatusUpdatesTable {
  id: Generated<number>;
  incident_id: string;
  status: string;
  message: string;
  title: string | null;
  author: string;
  at: number;
}

export interface StatusSubscribersTable {
  id: string;
  channel: string;
  address: string;
  /** SHA-256 of the secret in the subscriber's confirm and unsubscribe links. */
  token_hash: string;
  created_at: number;
  confirmed_at: number | null;
}

/** Notices sent once each (maintenance scheduled, started, completed, cancelled). */
export interface StatusNoticesTable {
  key: string;
  /** What the notice was about: a maintenance window's id. */
  subject: string;
  at: number;
}

export interface StatusTables {
  statuspage_updates: StatusUpdatesTable;
  statuspage_subscribers: StatusSubscribersTable;
  statuspage_notices: StatusNoticesTable;
}

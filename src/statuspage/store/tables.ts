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

export interface StatusTables {
  statuspage_updates: StatusUpdatesTable;
  statuspage_subscribers: StatusSubscribersTable;
}

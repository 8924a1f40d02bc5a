import type { Generated } from 'kysely';

/** This module's tables as Kysely sees them. JSON columns hold text; times are epoch milliseconds. */
export interface OutboxTable {
  id: Generated<number>;
  receiver: string;
  job: string;
  status: string;
  created_at: number;
  next_attempt_at: number;
  attempts: number;
  last_error: string | null;
  done_at: number | null;
}

export interface OutboxTables {
  outbox: OutboxTable;
}

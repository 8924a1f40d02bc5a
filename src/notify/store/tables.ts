import type { Generated } from 'kysely';

/** This module's tables as Kysely sees them. JSON columns hold text; times are epoch milliseconds. */
export interface OutboxTable {
  id: Generated<number>;
  receiver: string;
  /** The job's fields as JSON, without its payload (and with it, in rows written before notify_0002). */
  job: string;
  /** The job's payload (a notification's JSON), NULL in rows written before notify_0002. */
  payload: string | null;
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
